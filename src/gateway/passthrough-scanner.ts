// The pass-through of an upstream's OpenAI SSE to an OpenAI client: the bytes go on as they came, read only for the
// usage, finish reasons, the answer's id and chunk count; a usage-only chunk the client did not ask for is left out,
// an upstream error event has the key redacted, and `[DONE]` is held back until the call is settled.
import type { ChatCompletionChunk } from "../plugins/sdk.ts";
import { redactSecrets, redactValue } from "../telemetry/redact.ts";
import type { RelayOptions, StreamOutcome } from "./relay-outcome.ts";

const encoder = new TextEncoder();
const USAGE_OBJECT = /"usage":\s*\{/;
const ERROR_OBJECT = /"error":\s*\{/;
const USAGE_OBJECT_FROM = /"usage":\s*\{/g;
const ERROR_OBJECT_FROM = /"error":\s*\{/g;
const DONE_LINE = /^data: ?\[DONE\]/m;
/** A finish reason: its key, then (read where the key ends) its value when a string. */
const FINISH_REASON_KEY = '"finish_reason":';
const FINISH_REASON_VALUE = /\s*"(\w+)"/y;
const ID_FIELD = /"id":\s*"([^"\\]{1,200})"/;

/**
 * An upstream's own error event (`data: {"error": {...}}`) may quote the key it was given: the attempt's key and
 * every key-shaped token are redacted before it goes on, and the stream counts as failed with its message.
 * A content chunk that only mentions "error" is not an error event and passes untouched.
 */
function redactedErrorEvent(line: string, options: RelayOptions, outcome: StreamOutcome): string {
  let event: unknown;
  try {
    event = JSON.parse(line.slice(5));
  } catch {
    return redactSecrets(line, [options.ctx.apiKey]);
  }
  const error = (event as { error?: unknown } | null)?.error;
  if (typeof error !== "object" || error === null) return line;
  const redacted = redactValue(event, [options.ctx.apiKey]) as { error: { message?: unknown } };
  outcome.error ??= typeof redacted.error.message === "string" ? redacted.error.message : "the upstream sent an error event";
  return `data: ${JSON.stringify(redacted)}`;
}

/**
 * The read's complete events as they go on: an error event redacted, the usage read from a usage event, and a
 * usage-only chunk the client did not ask for left out with the blank line after it. Only the lines holding a
 * usage or error object are looked at; the text between them is copied as it came (the same text when nothing changed).
 */
function rewriteEvents(complete: string, hasUsage: boolean, hasError: boolean, options: RelayOptions, outcome: StreamOutcome): string {
  let out = "";
  let copied = 0;
  for (let from = 0; from < complete.length; ) {
    const hit = nextObject(complete, from, hasUsage, hasError);
    if (hit === -1) break;
    const start = complete.lastIndexOf("\n", hit) + 1;
    const newline = complete.indexOf("\n", hit);
    const end = newline === -1 ? complete.length : newline;
    from = end + 1;
    const line = complete.slice(start, end);
    if (!line.startsWith("data:")) continue;
    let replacement: string | undefined = line;
    if (hasError && ERROR_OBJECT.test(line)) replacement = redactedErrorEvent(line, options, outcome);
    else if (hasUsage && USAGE_OBJECT.test(line)) replacement = readUsageEvent(line, options, outcome);
    if (replacement === line) continue;
    out += complete.slice(copied, start);
    if (replacement !== undefined) {
      out += replacement;
      copied = end;
    } else {
      // left out with its line end and the blank line that ends its event
      copied = complete.charCodeAt(end + 1) === 10 ? end + 2 : Math.min(end + 1, complete.length);
      from = copied;
    }
  }
  return copied === 0 ? complete : out + complete.slice(copied);
}

/** Where the next usage or error object starts at or after `from` (-1: none). */
function nextObject(text: string, from: number, usage: boolean, error: boolean): number {
  const at = (pattern: RegExp) => {
    pattern.lastIndex = from;
    return pattern.exec(text)?.index ?? -1;
  };
  const u = usage ? at(USAGE_OBJECT_FROM) : -1;
  const e = error ? at(ERROR_OBJECT_FROM) : -1;
  return u === -1 ? e : e === -1 ? u : Math.min(u, e);
}

/** A usage event's usage and model noted; undefined when it is a usage-only chunk the client did not ask for. */
function readUsageEvent(line: string, options: RelayOptions, outcome: StreamOutcome): string | undefined {
  try {
    const chunk = JSON.parse(line.slice(5)) as ChatCompletionChunk;
    if (chunk.usage) outcome.usage = chunk.usage;
    if (typeof chunk.model === "string") outcome.model = chunk.model;
    if (!options.includeUsage && !chunk.choices?.length) return undefined;
  } catch {
    // not a whole JSON event: pass it on as it came
  }
  return line;
}

/**
 * Passes the upstream's bytes through; only a usage-only chunk the client did not ask for is held back.
 * The `[DONE]` event and whatever follows it are kept aside (`takeHeld`), to be sent once the call is settled.
 */
export function passthroughScanner(options: RelayOptions, outcome: StreamOutcome) {
  const decoder = new TextDecoder();
  let carry = "";
  let sawDone = false;
  let held = "";
  return {
    get sawDone() {
      return sawDone;
    },
    /** The `[DONE]` event onwards, once seen (then empty). */
    takeHeld(): string {
      const out = held;
      held = "";
      return out;
    },
    scan(bytes: Uint8Array): Uint8Array | undefined {
      const text = sawDone ? decoder.decode(bytes, { stream: true }) : carry + decoder.decode(bytes, { stream: true });
      if (sawDone) {
        // past [DONE]: nothing more to read, only to pass on after the settlement
        held += text;
        return undefined;
      }
      const end = text.lastIndexOf("\n") + 1;
      let complete = text.slice(0, end);
      const hadCarry = carry !== "";
      carry = text.slice(end);
      const doneAt = complete.includes("[DONE]") ? complete.search(DONE_LINE) : -1;
      if (doneAt !== -1) {
        sawDone = true;
        held = complete.slice(doneAt) + carry;
        carry = "";
        complete = complete.slice(0, doneAt);
      }
      if (outcome.id === undefined && complete !== "") outcome.id = ID_FIELD.exec(complete)?.[1] ?? "";
      for (let at = complete.indexOf('"choices":[{'); at !== -1; at = complete.indexOf('"choices":[{', at + 12)) outcome.chunks++;
      for (let at = complete.indexOf(FINISH_REASON_KEY); at !== -1; at = complete.indexOf(FINISH_REASON_KEY, at + FINISH_REASON_KEY.length)) {
        FINISH_REASON_VALUE.lastIndex = at + FINISH_REASON_KEY.length;
        const match = FINISH_REASON_VALUE.exec(complete);
        if (match !== null) outcome.finishReasons.push(match[1] as string);
      }
      const hasUsage = complete.includes('"usage"') && USAGE_OBJECT.test(complete);
      const hasError = complete.includes('"error"') && ERROR_OBJECT.test(complete);
      if (!hasUsage && !hasError) {
        if (!hadCarry && carry === "" && !sawDone) return bytes;
        return complete === "" ? undefined : encoder.encode(complete);
      }
      const rewritten = rewriteEvents(complete, hasUsage, hasError, options, outcome);
      if (rewritten === complete && !hadCarry && carry === "" && !sawDone) return bytes;
      return rewritten === "" ? undefined : encoder.encode(rewritten);
    },
    rest: () => carry,
  };
}
