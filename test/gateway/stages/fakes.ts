// Fakes for the pipeline's stage tests: a config and provider set of built-in adapters, key sources that hand out
// fixed keys, an upstream transport that answers from a script, and recorders that keep what they were told.
import { trace } from "@opentelemetry/api";
import { knownNames } from "../../../src/cli/known-names.ts";
import type { ResolvedConfig } from "../../../src/config/validate.ts";
import { validateConfig } from "../../../src/config/validate.ts";
import type { InferenceCall } from "../../../src/core/call.ts";
import { openAIChat } from "../../../src/dialects/openai-chat/dialect.ts";
import type { AttemptOutcome as KeyOutcome, CallKeys, KeySourceDriver } from "../../../src/core/key-source.ts";
import type { Target } from "../../../src/core/provider-set.ts";
import { bindProviders } from "../../../src/gateway/providers.ts";
import type { CallContext } from "../../../src/gateway/stages/context.ts";
import type { AttemptOutcome } from "../../../src/health/monitor.ts";
import type { KeySource, ProviderAdapter } from "../../../src/plugins/sdk.ts";
import { builtInAdapters } from "../../../src/providers/builtin.ts";
import type { Transport } from "../../../src/providers/upstream-fetch.ts";
import type { RequestLog } from "../../../src/store/repositories/request-logs.ts";
import type { UsageRecord } from "../../../src/store/repositories/usage.ts";

export const OPENAI_URL = "http://openai.test/v1";
export const ANTHROPIC_URL = "http://anthropic.test";

export function testConfig(extra: Record<string, unknown> = {}): ResolvedConfig {
  const { config, issues } = validateConfig(
    {
      providers: { openai: { adapter: "openai", base_url: OPENAI_URL }, anthropic: { adapter: "anthropic", base_url: ANTHROPIC_URL } },
      ...extra,
    },
    knownNames,
  );
  if (!config) throw new Error(`test config refused: ${JSON.stringify(issues)}`);
  return config;
}

export function testProviders(config: ResolvedConfig) {
  return bindProviders(config.providers, (s) => builtInAdapters.get(s.adapter) as ProviderAdapter, [...builtInAdapters.values()]);
}

/** A key source with fixed keys per provider; remembers what the executor reported. */
export function fakeSource(source: KeySource, keys: Record<string, string[]>) {
  const reports: { ref: string; outcome: KeyOutcome }[] = [];
  const driver: KeySourceDriver = {
    source,
    refs: async (target: Target, _call: CallKeys) => (keys[target.provider.name] ?? []).map((_, i) => `${target.provider.name}#${i}`),
    secret: async (ref: string) => {
      const [provider, index] = ref.split("#");
      return (keys[provider as string] ?? [])[Number(index)] as string;
    },
    report: (ref, _target, _call, outcome) => reports.push({ ref, outcome }),
  };
  return { driver, reports };
}

export interface SentRequest {
  url: string;
  method: string;
  headers: Headers;
  body: string;
  redirect: RequestRedirect | undefined;
}

/** An upstream that answers each request with the next scripted answer (the last one repeats). */
export function fakeUpstream(...answers: (() => Response)[]) {
  const sent: SentRequest[] = [];
  const transport: Transport = async (url, init) => {
    sent.push({ url, method: init.method ?? "GET", headers: new Headers(init.headers), body: String(init.body ?? ""), redirect: init.redirect });
    const next = answers[Math.min(sent.length - 1, answers.length - 1)] as () => Response;
    return next();
  };
  return { transport, sent };
}

export const json = (value: unknown, status = 200, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json", ...headers } });

export function chatCompletion(content: string, usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 }) {
  return { id: "chatcmpl-1", object: "chat.completion", created: 1, model: "gpt-4o", choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }], usage };
}

export function testCall(body: Record<string, unknown>, headers: Record<string, string> = {}): InferenceCall {
  return {
    endpoint: "chat",
    body,
    dialect: openAIChat,
    principal: { keyId: "key_1", accountId: "acct_1", teamId: null, role: "developer", operator: false, ipAllowlist: null },
    requestId: "req_1",
    headers: new Headers(headers),
    signal: new AbortController().signal,
    startedAt: Date.now(),
  };
}

export const tracing = { tracer: () => trace.getTracer("stage-tests") };

export function contextOf(call: InferenceCall): CallContext {
  return { call, server: tracing.tracer().startSpan("test") };
}

/** Recorders of what the stages tell health, usage, request logs and the logger. */
export function recorders() {
  const outcomes: AttemptOutcome[] = [];
  const usageRows: UsageRecord[] = [];
  const requestLogs: RequestLog[] = [];
  const logged: { level: string; message: string; fields?: unknown }[] = [];
  const log = (level: string) => (message: string, fields?: unknown) => void logged.push({ level, message, fields });
  return {
    outcomes,
    usageRows,
    requestLogs,
    logged,
    health: { record: (outcome: AttemptOutcome) => void outcomes.push(outcome) },
    usage: { record: async (row: UsageRecord) => void usageRows.push(row) },
    requestLogWriter: { add: (row: RequestLog) => void requestLogs.push(row) },
    logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error"), enabled: () => true },
  };
}
