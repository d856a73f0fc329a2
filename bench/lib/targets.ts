// The four ways to reach the mock (direct, bare proxy, keyway, the peer) and the exact request each one takes.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { WORK_DIR } from "./processes.ts";

export type TargetName = "direct" | "bare" | "keyway" | "peer";
export const TARGETS: readonly TargetName[] = ["direct", "bare", "keyway", "peer"];
export const TARGET_LABEL: Record<TargetName, string> = { direct: "direct", bare: "bare proxy", keyway: "keyway", peer: "peer (Portkey)" };

export const OPENAI_KEY = "sk-bench-0123456789abcdef0123";
export const ANTHROPIC_KEY = "sk-ant-bench-0123456789abcdef0123";
export const ADMIN_KEY = "kw_bench_admin_0123456789abcdef0123456789";

/** What is running: base URLs (no trailing slash), and what keyway could be set up with. */
export interface Stack {
  mockUrl: string;
  bareUrl: string;
  keywayUrl?: string;
  /** keyway's SQLite file (usage records are counted there). */
  keywayDb?: string;
  peerUrl?: string;
  /** Why the peer is not running, when it is not. */
  peerMissing?: string;
  /** keyway serves an Anthropic-format provider (the adapter exists), or why not. */
  keywayAnthropic: true | string;
  /** A non-admin keyway key of the default account (scenario e), and its id. */
  governedKey?: { key: string; id: string };
  /** keyway holds a stored OpenAI key for that account, or why not. */
  storedKey: true | string;
  /** Process ids of the bare proxy and keyway (CPU time per request is read from /proc for them). */
  pids?: { bare?: number; keyway?: number };
}

export interface Shape {
  api: "openai" | "anthropic";
  model: string;
  stream?: boolean;
  /** keyway only: the account's own keyway key, its stored provider key when there is one. */
  governed?: boolean;
}

export interface HttpRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

const SYSTEM = "You are the benchmark's assistant.";
const USER = "Tell me, in a few sentences, what a gateway in front of an LLM API should add to each call.";

function openAIBody(model: string, stream: boolean | undefined, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    model,
    messages: [
      { role: "system", content: SYSTEM },
      { role: "user", content: USER },
    ],
    max_tokens: 256,
    ...(stream ? { stream: true } : {}),
    ...extra,
  });
}

function anthropicBody(model: string, stream: boolean | undefined): string {
  return JSON.stringify({ model, max_tokens: 256, system: SYSTEM, messages: [{ role: "user", content: USER }], ...(stream ? { stream: true } : {}) });
}

const JSON_TYPE = { "content-type": "application/json" };

/** The request for `target`, or the reason this target does not apply. */
export function requestFor(target: TargetName, stack: Stack, shape: Shape): HttpRequest | string {
  const openai = shape.api === "openai";
  switch (target) {
    case "direct":
    case "bare": {
      const base = target === "direct" ? stack.mockUrl : stack.bareUrl;
      if (openai) return { url: `${base}/v1/chat/completions`, headers: { ...JSON_TYPE, authorization: `Bearer ${OPENAI_KEY}` }, body: openAIBody(shape.model, shape.stream) };
      return {
        url: `${base}/v1/messages`,
        headers: { ...JSON_TYPE, "x-api-key": ANTHROPIC_KEY, "anthropic-version": "2023-06-01" },
        body: anthropicBody(shape.model, shape.stream),
      };
    }
    case "keyway": {
      if (!stack.keywayUrl) return "keyway is not running";
      if (!openai && stack.keywayAnthropic !== true) return stack.keywayAnthropic;
      const provider = openai ? "openai" : "anthropic";
      const key = openai ? OPENAI_KEY : ANTHROPIC_KEY;
      let bearer = ADMIN_KEY;
      let extra: Record<string, unknown> = { byok_api_key: key };
      if (shape.governed) {
        if (!stack.governedKey) return "no account key could be created (POST /v1/api-keys)";
        bearer = stack.governedKey.key;
        if (stack.storedKey === true) extra = {};
      }
      return {
        url: `${stack.keywayUrl}/v1/chat/completions`,
        headers: { ...JSON_TYPE, authorization: `Bearer ${bearer}` },
        body: openAIBody(`${provider}/${shape.model}`, shape.stream, extra),
      };
    }
    case "peer": {
      if (!stack.peerUrl) return stack.peerMissing ?? "the peer is not running";
      return {
        url: `${stack.peerUrl}/v1/chat/completions`,
        headers: {
          ...JSON_TYPE,
          authorization: `Bearer ${openai ? OPENAI_KEY : ANTHROPIC_KEY}`,
          "x-portkey-provider": openai ? "openai" : "anthropic",
          "x-portkey-custom-host": `${stack.mockUrl}/v1`,
        },
        body: openAIBody(shape.model, shape.stream),
      };
    }
  }
}

/** The same request sent to another server (`base`: its scheme, host and port). */
export function sentTo(request: HttpRequest, base: string): HttpRequest {
  return { ...request, url: request.url.replace(/^https?:\/\/[^/]+/, base) };
}

/** One request, checked: returns undefined when it answers 200 with the expected shape, or what went wrong. */
export async function probe(request: HttpRequest, expect: RegExp): Promise<string | undefined> {
  try {
    const response = await fetch(request.url, { method: "POST", headers: request.headers, body: request.body, signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    if (response.status !== 200) return `HTTP ${response.status}: ${text.slice(0, 200)}`;
    if (!expect.test(text)) return `unexpected answer: ${text.slice(0, 200)}`;
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The request as a file for bench/post.lua: header lines, a blank line, the body. */
export function requestFile(name: string, request: HttpRequest): string {
  const dir = join(WORK_DIR, "requests");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.req`);
  const head = Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`).join("\n");
  writeFileSync(path, `${head}\n\n${request.body}`);
  return path;
}

/**
 * Issue 17's targets, each a ratio within one run (absolute times do not carry between machines). The scenarios that
 * measure them (a, c, f, j) judge them with these figures.
 */
export const ISSUE_17 = {
  /** keyway's CPU per request over the bare proxy's, zero-delay upstream, plain and with governance on (scenario j). */
  cpuPerRequestRatio: 1.4,
  /** keyway's zero-delay throughput as a share of the bare proxy's, at each of `throughputConnections` (scenario j). */
  throughputShare: 0.7,
  throughputConnections: [32, 256] as const,
  /** keyway's added p99 at concurrency 1 over the bare proxy's (scenario a). */
  addedP99Ratio: 1.5,
  /** keyway's added p50 at concurrency 1 at most this many ms above the bare proxy's (scenario a). */
  addedP50AboveBareMs: 0.1,
  /** keyway's added time to first byte p99 over the bare proxy's (scenario c). */
  streamTtfbRatio: 1.5,
  /** Inter-chunk gap p99 over the bare proxy's: no worse than before the work on speed (1.16x in the issue-7 run; scenario c). */
  interChunkRatio: 1.16,
  /** RSS idle (scenario f). */
  idleRssMb: 60,
  /** Open streams held at once, and the RSS they may take (scenario f). */
  manyStreams: 10_000,
  manyStreamsRssMb: 600,
} as const;

/** "1.23x (4.5 vs 3.6)" for a goal's measured text. */
export function ratioText(of: number, over: number, unit = ""): string {
  const fmt = (n: number) => (Math.abs(n) >= 100 ? Math.round(n).toString() : n.toFixed(3));
  return `${(of / over).toFixed(2)}× (${fmt(of)}${unit} vs ${fmt(over)}${unit})`;
}
