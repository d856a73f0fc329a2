// Runs the planned attempts: builds each upstream request, fetches with a timeout, retries and falls back
// only for the configured reasons. Strategies order candidates; everything about failure lives here.
import { type Context, type Span, SpanStatusCode, type Tracer } from "@opentelemetry/api";
import { type AttemptSummary, GatewayError, invalidRequest } from "../core/errors.ts";
import type {
  Candidate,
  EndpointName,
  FailureKind,
  KeySource,
  NativeEndpoint,
  ProviderContext,
  UpstreamFailure,
  UpstreamRequest,
} from "../plugins/sdk.ts";
import { failureFromThrown } from "../providers/failure.ts";
import { callUpstream } from "../providers/upstream-call.ts";
import type { Transport } from "../providers/upstream-fetch.ts";
import { ATTR, OPERATION } from "../telemetry/attributes.ts";
import type { CallObserver } from "../telemetry/metric-types.ts";
import { outgoingTraceHeaders } from "../telemetry/propagation.ts";
import { startAttemptSpan } from "./attempt-span.ts";
import { modelLabel } from "./model-label.ts";
import { redactSecrets } from "../telemetry/redact.ts";
import { errorForFailure } from "./failure-to-error.ts";
import type { AttemptRecorder } from "../health/monitor.ts";
import type { Admission } from "../core/admission.ts";
import type { NativeRequest } from "../core/dialect.ts";
import type { CallKeys, KeySourceDriver } from "../core/key-source.ts";
import type { ConfiguredProvider, ProviderSet } from "../core/provider-set.ts";

/** What every call's execution shares; assembled once per gateway. */
export interface ExecuteDeps {
  providers: ProviderSet;
  /** Each key source by its name. */
  sourceOf: ReadonlyMap<KeySource, KeySourceDriver>;
  /** Told the outcome of every attempt (provider health). */
  health: AttemptRecorder;
  /** Sends upstream requests (fetch; a fake in tests). */
  transport: Transport;
  /** Retries of one attempt before moving on (`routing.retries`). */
  retries: number;
  /** Told every attempt's outcome (metrics); undefined when no metrics are on. */
  metrics?: Pick<CallObserver, "attempt">;
}

/** One call's execution. */
export interface ExecuteInput {
  endpoint: EndpointName;
  plan: readonly Candidate[];
  body: Record<string, unknown>;
  /** The client's own request, sent as it is to a provider that speaks its format. */
  native?: NativeRequest;
  stream: boolean;
  call: CallKeys;
  clientSignal: AbortSignal;
  fallbackReasons: ReadonlySet<FailureKind>;
  /** Where the attempts' spans go: undefined for a quiet call (nothing records, no client trace context: QUIET_SPAN). */
  trace: { tracer: Tracer; parent: Context } | undefined;
  /**
   * Admission of a candidate before its first attempt (platform limits and credits, team budgets, approvals).
   * Throws a GatewayError to refuse; the returned admission is released when every attempt with it fails.
   */
  admit(candidate: Candidate, body: Record<string, unknown>): Promise<Admission | undefined> | undefined;
}

export interface Attempt {
  candidate: Candidate;
  provider: ConfiguredProvider;
  ctx: ProviderContext;
  upstream: UpstreamRequest<string | FormData>;
  /** Set when the provider speaks the client's format: the request went as the client wrote it, the answer goes back so. */
  native?: NativeEndpoint;
  /** Aborts the upstream request (client gone, stream cancelled). */
  abort: AbortController;
  span: Span;
  admission?: Admission;
}

export interface Execution {
  response: Response;
  /** For streams: the first chunk, already read, and the reader for the rest. */
  prefetched?: PrefetchedStream;
  attempt: Attempt;
  attempts: number;
  /** When the answering attempt's request went out, and (streams) its first chunk came: performance.now() ms. */
  sentAt: number;
  firstChunkAt?: number;
  /** The failed attempts before it (each followed by another attempt). */
  failed: readonly { provider: string; kind: FailureKind }[];
}

/** The client went away before an answer: nothing to send. */
export class ClientGone extends Error {}

const RETRYABLE: ReadonlySet<FailureKind> = new Set(["rate_limit", "timeout", "server_error"]);
const MAX_RETRY_WAIT_S = 10;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => { clearTimeout(timer); resolve(); }, { once: true });
  });

/** A provider's options when neither its settings nor the key set any (shared: adapters only read options). */
const NO_OPTIONS: Readonly<Record<string, unknown>> = Object.freeze({});

/** The provider's endpoint for the client's own format, when the call has one and the provider speaks it. */
function nativeEndpointOf(input: ExecuteInput, provider: ConfiguredProvider): NativeEndpoint | undefined {
  return input.native ? provider.adapter.endpoints.native?.[input.native.format] : undefined;
}

/** Builds an attempt's upstream request through the adapter; an adapter's failure to build it refuses the request. */
function adapterBuilds(provider: ConfiguredProvider, ctx: ProviderContext, build: () => UpstreamRequest<string | FormData>): UpstreamRequest<string | FormData> {
  try {
    return build();
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw invalidRequest(`${provider.name} cannot take this request: ${redactSecrets(message, [ctx.apiKey])}`);
  }
}

function buildRequest(input: ExecuteInput, body: Record<string, unknown>, provider: ConfiguredProvider, ctx: ProviderContext): UpstreamRequest<string | FormData> {
  const native = nativeEndpointOf(input, provider);
  if (native && input.native) {
    const { body: nativeBody, headers } = input.native;
    return adapterBuilds(provider, ctx, () => native.toUpstream({ ...nativeBody, model: ctx.model }, ctx, headers));
  }
  const nativeOnly = input.native?.nativeOnly;
  if (nativeOnly?.length) {
    const named = nativeOnly.map((field) => `'${field}'`).join(", ");
    throw invalidRequest(`${named} can only be honoured by a provider that speaks this API itself; '${provider.name}' does not. Leave ${nativeOnly.length > 1 ? "them" : "it"} out or pick such a provider.`, nativeOnly[0] ?? null);
  }
  const endpoint = provider.adapter.endpoints[input.endpoint];
  if (!endpoint) {
    throw invalidRequest(`Provider '${provider.name}' does not offer the ${input.endpoint} endpoint.`, "model");
  }
  if (input.stream && input.endpoint !== "speech" && !("stream" in endpoint && endpoint.stream)) {
    throw invalidRequest(`Provider '${provider.name}' does not stream the ${input.endpoint} endpoint; send stream: false.`, "stream");
  }
  return adapterBuilds(provider, ctx, () => endpoint.toUpstream(body as never, ctx));
}

/** A stream whose first chunk was already read (so a stream failing before its first byte can still fall back). */
export interface PrefetchedStream {
  first: Uint8Array;
  reader: ReadableStreamDefaultReader<Uint8Array>;
}

/** An attempt's result: the answer (a stream's first chunk read), or its failure and the failed answer if one came. */
type AttemptResult =
  | { ok: true; response: Response; prefetched?: PrefetchedStream }
  | { ok: false; failure: UpstreamFailure; response?: Response };

/** Reads a stream's first chunk, still under the attempt's timeout; the reader is handed on as it is. */
async function firstChunk(response: Response): Promise<AttemptResult> {
  if (!response.body) return { ok: true, response };
  const reader = response.body.getReader();
  const first = await reader.read();
  if (first.done) return { ok: false, failure: { kind: "server_error", message: "the upstream closed the stream before its first byte" } };
  return { ok: true, response, prefetched: { first: first.value, reader } };
}

/** Why a fetch without an answer ended, when keyway ended it: the client left (thrown), or the timeout passed. */
function interrupted(clientSignal: AbortSignal, timedOut: boolean, timeoutMs: number): AttemptResult | undefined {
  if (clientSignal.aborted) throw new ClientGone();
  return timedOut ? { ok: false, failure: { kind: "timeout", message: `no answer within ${timeoutMs} ms` } } : undefined;
}

/**
 * How long an attempt runs before keyway listens for its client going away. Most answers come sooner, and a listener
 * on the request's signal costs more CPU than the rest of the attempt's bookkeeping; a client that left meanwhile is
 * noticed when the watch starts, and its upstream request aborted then.
 */
const CLIENT_WATCH_AFTER_MS = 20;

/**
 * An attempt's one timer: it starts watching the client (after CLIENT_WATCH_AFTER_MS), then waits out the rest of the
 * timeout; either ending aborts the attempt. The timer's callbacks are module functions given the watch, and the
 * watch is itself the client signal's listener (`handleEvent`), so an attempt makes no closures for them.
 */
class AttemptWatch {
  timedOut = false;
  watching = false;
  timer: ReturnType<typeof setTimeout>;

  constructor(
    readonly abort: AbortController,
    readonly clientSignal: AbortSignal,
    readonly timeoutMs: number,
  ) {
    if (timeoutMs <= CLIENT_WATCH_AFTER_MS) {
      this.watchClient();
      this.timer = setTimeout(timeUp, timeoutMs, this);
    } else {
      this.timer = setTimeout(watchDue, CLIENT_WATCH_AFTER_MS, this);
    }
  }

  watchClient(): void {
    if (this.clientSignal.aborted) return this.abort.abort();
    this.watching = true;
    this.clientSignal.addEventListener("abort", this, { once: true });
  }

  /** The client went away. */
  handleEvent(): void {
    this.abort.abort();
  }

  stop(): void {
    clearTimeout(this.timer);
    if (this.watching) this.clientSignal.removeEventListener("abort", this);
  }
}

function watchDue(watch: AttemptWatch): void {
  watch.watchClient();
  watch.timer = setTimeout(timeUp, watch.timeoutMs - CLIENT_WATCH_AFTER_MS, watch);
}

function timeUp(watch: AttemptWatch): void {
  watch.timedOut = true;
  watch.abort.abort();
}

async function fetchOnce(attempt: Attempt, transport: Transport, clientSignal: AbortSignal, stream: boolean, traceHeaders?: Record<string, string>): Promise<AttemptResult> {
  const timeoutMs = attempt.provider.timeoutMs;
  const watch = new AttemptWatch(attempt.abort, clientSignal, timeoutMs);
  try {
    const { provider, upstream, ctx } = attempt;
    // W3C trace context: the attempt's span is the parent of whatever the provider traces.
    const request = traceHeaders ? { ...upstream, headers: { ...upstream.headers, ...traceHeaders } } : upstream;
    const outcome = await callUpstream({ provider, request, apiKey: ctx.apiKey, defaultMethod: "POST", signal: attempt.abort.signal, transport });
    if (outcome.ok) return stream ? await firstChunk(outcome.response) : outcome;
    return outcome.response ? outcome : (interrupted(clientSignal, watch.timedOut, timeoutMs) ?? outcome);
  } catch (error) {
    if (error instanceof ClientGone) throw error;
    return interrupted(clientSignal, watch.timedOut, timeoutMs) ?? { ok: false, failure: failureFromThrown(error, attempt.provider.host, [attempt.ctx.apiKey]) };
  } finally {
    watch.stop();
  }
}

function endFailed(span: Span, failure: UpstreamFailure, status: number | null): void {
  span.setAttribute(ATTR.errorType, status === null ? failure.kind : String(status));
  span.setStatus({ code: SpanStatusCode.ERROR, message: failure.kind });
  span.end();
}

/**
 * Fallback only for the configured reasons. A refused key never gives way to another provider or key source
 * (a bad request key is the caller's to fix); a refused stored or platform key may give way to the next key of
 * the same provider and source.
 */
function mayMoveOn(kind: FailureKind, current: Candidate, next: Candidate, reasons: ReadonlySet<FailureKind>): boolean {
  if (reasons.has(kind)) return true;
  return kind === "auth" && current.keySource !== "request" && next.keySource === current.keySource && next.provider === current.provider;
}

/** The failed attempts of a call whose first attempt answered (shared: never added to). */
const NONE_FAILED: readonly { provider: string; kind: FailureKind }[] = Object.freeze([]);

export async function executePlan(input: ExecuteInput, deps: ExecuteDeps): Promise<Execution> {
  // Made at the first failure: most calls answer at their first attempt.
  let summaries: AttemptSummary[] | undefined;
  let failed: { provider: string; kind: FailureKind }[] | undefined;
  let last: { failure: UpstreamFailure; candidate: Candidate } | undefined;
  let number = 0;
  const accountId = input.call.principal.accountId;
  for (let index = 0; index < input.plan.length; index++) {
    const candidate = input.plan[index] as Candidate;
    const provider = deps.providers.get(candidate.provider);
    const source = deps.sourceOf.get(candidate.keySource);
    if (!provider || !source) continue;
    const target = { provider, model: candidate.model };
    const secret = source.secret(candidate.keyRef, target, input.call);
    const apiKey = secret instanceof Promise ? await secret : secret;
    const defaults = source.defaults?.(candidate.keyRef);
    const ctx: ProviderContext = {
      provider: provider.name,
      model: candidate.model,
      baseUrl: provider.baseUrl,
      apiKey,
      stream: input.stream,
      options: defaults?.options ? { ...provider.settings.options, ...defaults.options } : (provider.settings.options ?? NO_OPTIONS),
    };
    // A stored key's generation defaults (max_tokens, temperature) are for the endpoints that generate text.
    const generates = input.endpoint === "chat" || input.endpoint === "completions";
    const body = defaults?.body && generates ? { ...defaults.body, ...input.body } : input.body;
    const upstream = buildRequest(input, body, provider, ctx);
    const admitting = input.admit(candidate, body);
    const admission = admitting === undefined ? undefined : await admitting;
    let succeeded = false;
    try {
      for (let retry = 0; retry <= deps.retries; retry++) {
        number++;
        const span = startAttemptSpan({ trace: input.trace, endpoint: input.endpoint, provider, candidate, model: ctx.model, body, stream: input.stream, number, fallbackReason: last?.failure.kind });
        const attempt: Attempt = { candidate, provider, ctx, upstream, native: nativeEndpointOf(input, provider), abort: new AbortController(), span, admission };
        const sentAt = performance.now();
        const result = await fetchOnce(attempt, deps.transport, input.clientSignal, input.stream && input.endpoint !== "speech", outgoingTraceHeaders(span));
        const latencyMs = performance.now() - sentAt;
        const metricLabels = deps.metrics && { operation: OPERATION[input.endpoint], system: provider.otelName, provider: provider.name, requestModel: modelLabel(provider, ctx.model), serverAddress: provider.host, serverPort: provider.port };
        const { response } = result;
        if (result.ok) {
          deps.health.record({ candidate, accountId, ok: true, status: result.response.status, latencyMs, headers: result.response.headers });
          source.report?.(candidate.keyRef, target, input.call, { ok: true });
          succeeded = true;
          if (metricLabels) deps.metrics?.attempt({ ...metricLabels, outcome: "ok", seconds: latencyMs / 1000 });
          const firstChunkAt = result.prefetched ? sentAt + latencyMs : undefined;
          return { response: result.response, prefetched: result.prefetched, attempt, attempts: number, sentAt, firstChunkAt, failed: failed ?? NONE_FAILED };
        }
        const { failure } = result;
        const status = response ? response.status : null;
        deps.health.record({ candidate, accountId, ok: false, kind: failure.kind, status: status ?? 0, latencyMs, headers: response?.headers, retryAfterSeconds: failure.retryAfterSeconds });
        source.report?.(candidate.keyRef, target, input.call, { ok: false, kind: failure.kind, retryAfterSeconds: failure.retryAfterSeconds });
        endFailed(span, failure, status);
        if (metricLabels) deps.metrics?.attempt({ ...metricLabels, outcome: failure.kind, errorType: status === null ? failure.kind : String(status), seconds: latencyMs / 1000 });
        (failed ??= []).push({ provider: provider.name, kind: failure.kind });
        (summaries ??= []).push({ provider: provider.name, model: candidate.model, key_source: candidate.keySource, status, reason: `${failure.kind}: ${failure.message}` });
        last = { failure, candidate };
        const wait = failure.retryAfterSeconds ?? 0.2 * 2 ** retry;
        const canRetry = retry < deps.retries && RETRYABLE.has(failure.kind) && wait <= MAX_RETRY_WAIT_S;
        if (!canRetry) break;
        await sleep(wait * 1000, input.clientSignal);
        if (input.clientSignal.aborted) throw new ClientGone();
      }
    } finally {
      if (!succeeded) await admission?.release();
    }
    const next = input.plan[index + 1];
    if (!next || !last || !mayMoveOn(last.failure.kind, candidate, next, input.fallbackReasons)) break;
  }
  if (!last) throw new GatewayError("no_provider_key", "No configured provider can serve this request.");
  throw errorForFailure(last.failure, last.candidate, summaries ?? []);
}
