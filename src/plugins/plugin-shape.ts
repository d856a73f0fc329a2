// Checks that a provider adapter or routing strategy has the shape keyway calls, so a malformed plugin is refused
// at start-up with what is wrong, not at its first request.
import { knowledgeProblems } from "./knowledge-shape.ts";

const ENDPOINTS = ["chat", "completions", "embeddings", "images", "speech", "moderations", "transcriptions"] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optional(owner: Record<string, unknown>, field: string, ok: (value: unknown) => boolean, expected: string, where: string): string[] {
  return owner[field] === undefined || ok(owner[field]) ? [] : [`'${where}${field}' must be ${expected}`];
}

const isFunction = (value: unknown) => typeof value === "function";

function streamProblems(stream: unknown, where: string): string[] {
  if (stream === "openai-sse") return [];
  if (!isRecord(stream)) return [`'${where}stream' must be "openai-sse" or a stream translator { start, translate, finish }`];
  const missing = ["start", "translate", "finish"].filter((fn) => !isFunction(stream[fn]));
  const problems = missing.map((fn) => `'${where}stream.${fn}' must be a function`);
  if (stream.framing !== undefined && stream.framing !== "sse" && stream.framing !== "ndjson") problems.push(`'${where}stream.framing' must be "sse" or "ndjson"`);
  return problems;
}

function endpointProblems(name: string, endpoint: unknown): string[] {
  const where = `endpoints.${name}.`;
  if (!isRecord(endpoint)) return [`'endpoints.${name}' must be an object`];
  const problems: string[] = [];
  if (!isFunction(endpoint.toUpstream)) problems.push(`'${where}toUpstream' must be a function`);
  if (name !== "speech" && name !== "transcriptions" && !isFunction(endpoint.fromUpstream)) problems.push(`'${where}fromUpstream' must be a function`);
  if (name === "chat" || endpoint.stream !== undefined) problems.push(...streamProblems(endpoint.stream, where));
  return problems;
}

const NATIVE_FORMATS = ["anthropic-messages", "anthropic-count-tokens", "openai-responses"];

function nativeProblems(native: unknown): string[] {
  if (!isRecord(native)) return ["'endpoints.native' must be an object: format -> { toUpstream, read, stream, isLast }"];
  return Object.entries(native).flatMap(([format, endpoint]) => {
    const where = `endpoints.native.${format}.`;
    if (!NATIVE_FORMATS.includes(format)) return [`'endpoints.native.${format}' is not a format keyway knows (${NATIVE_FORMATS.join(", ")})`];
    if (!isRecord(endpoint)) return [`'endpoints.native.${format}' must be an object`];
    const missing = ["toUpstream", "read", "isLast"].filter((fn) => !isFunction(endpoint[fn])).map((fn) => `'${where}${fn}' must be a function`);
    return [...missing, ...streamProblems(endpoint.stream, where)];
  });
}

/** Every problem with a provider adapter's shape; empty when it is usable. */
export function providerShapeProblems(value: unknown): string[] {
  if (!isRecord(value)) return ["a provider adapter must be an object (export default defineProvider({...}))"];
  const problems: string[] = [];
  if (typeof value.name !== "string" || value.name === "") problems.push("'name' must be a non-empty string");
  if (typeof value.otelName !== "string") problems.push("'otelName' must be a string (the gen_ai.provider.name value)");
  if (!isRecord(value.endpoints)) {
    problems.push(`'endpoints' must be an object with at least one of ${ENDPOINTS.join(", ")}`);
  } else {
    const names = Object.keys(value.endpoints);
    for (const name of names) {
      if (name === "native") problems.push(...nativeProblems(value.endpoints.native));
      else if (!(ENDPOINTS as readonly string[]).includes(name)) problems.push(`'endpoints.${name}' is not an endpoint keyway knows (${ENDPOINTS.join(", ")})`);
      else if (value.endpoints[name] !== undefined) problems.push(...endpointProblems(name, value.endpoints[name]));
    }
    if (names.filter((name) => name !== "native").length === 0) problems.push("'endpoints' offers no endpoint");
  }
  problems.push(
    ...optional(value, "keyPattern", (v) => v instanceof RegExp, "a RegExp", ""),
    ...optional(value, "modelPrefixes", (v) => Array.isArray(v) && v.every((p) => typeof p === "string"), "an array of strings", ""),
    ...optional(value, "defaultBaseUrl", (v) => typeof v === "string" && /^https?:\/\//.test(v), "an http(s) URL", ""),
    ...optional(value, "mapError", isFunction, "a function", ""),
    ...optional(value, "checkKey", isFunction, "a function", ""),
    ...optional(value, "listModels", isFunction, "a function", ""),
    ...knowledgeProblems(value),
  );
  return problems;
}

/** Every problem with a routing strategy's shape; empty when it is usable. */
export function strategyShapeProblems(value: unknown): string[] {
  if (!isRecord(value)) return ["a routing strategy must be an object (export default defineStrategy({...}))"];
  const problems: string[] = [];
  if (typeof value.name !== "string" || value.name === "") problems.push("'name' must be a non-empty string");
  if (!isFunction(value.plan)) problems.push("'plan' must be a function (request, candidates) => ordered candidates");
  return problems;
}
