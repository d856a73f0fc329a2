// The pass-through of an upstream's OpenAI SSE to an OpenAI client: the bytes go on as they came, read only for the
// usage, finish reasons, the answer's id and chunk count; a usage-only chunk the client did not ask for is left out,
// an upstream error event has the key redacted, and `[DONE]` is held back until the call is settled.
import type { ChatCompletionChunk } from "../plugins/sdk.ts";
import { redactSecrets, redactValue } from "../telemetry/redact.ts";
import type { RelayOptions, StreamOutcome } from "./relay-outcome.ts";
import { ascii, BACKSLASH, CARRIAGE_RETURN, indexOf, isLineStart, joined, matchesAt, NEWLINE, objectAt, QUOTE, SPACE, skipSpace } from "./sse-bytes.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

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

/** The length of the blank line (LF or CRLF) starting at `at`, 0 when there is none. */
function blankLineAt(bytes: Uint8Array, at: number): number {
  if (bytes[at] === NEWLINE) return 1;
  return bytes[at] === CARRIAGE_RETURN && bytes[at + 1] === NEWLINE ? 2 : 0;
}

/** A left-out event whose blank line has not come yet: the next read's first line end is dropped too. */
interface LeftOut {
  blankLineNext: boolean;
}

/**
 * The read's complete events as they go on: an error event redacted, the usage read from a usage event, and a
 * usage-only chunk the client did not ask for left out with the blank line after it. Only the lines holding a
 * usage or error object are decoded and looked at; the bytes between them are copied as they came (the same array
 * when nothing changed).
 */
function rewriteEvents(complete: Uint8Array, hasUsage: boolean, hasError: boolean, options: RelayOptions, outcome: StreamOutcome, left: LeftOut): Uint8Array {
  const pieces: Uint8Array[] = [];
  let copied = 0;
  for (let from = 0; from < complete.length; ) {
    const hit = nextObject(complete, from, hasUsage, hasError);
    if (hit === -1) break;
    const start = complete.lastIndexOf(NEWLINE, hit) + 1;
    const newline = complete.indexOf(NEWLINE, hit);
    const end = newline === -1 ? complete.length : newline;
    from = end + 1;
    if (!matchesAt(complete, start, DATA_FIELD)) continue;
    const inLine = (key: Uint8Array) => {
      const at = objectAt(complete, key, start);
      return at !== -1 && at < end;
    };
    const error = hasError && inLine(ERROR_KEY);
    if (!error && !(hasUsage && inLine(USAGE_KEY))) continue;
    const line = decoder.decode(complete.subarray(start, end));
    const replacement = error ? redactedErrorEvent(line, options, outcome) : readUsageEvent(line, options, outcome);
    if (replacement === line) continue;
    pieces.push(complete.subarray(copied, start));
    if (replacement !== undefined) {
      pieces.push(encoder.encode(replacement));
      copied = end;
    } else {
      // left out with its line end and the blank line that ends its event (in the next read when this one ends here)
      copied = Math.min(end + 1, complete.length);
      const blank = blankLineAt(complete, copied);
      left.blankLineNext = blank === 0 && copied >= complete.length;
      copied += blank;
      from = copied;
    }
  }
  if (copied === 0) return complete;
  pieces.push(complete.subarray(copied));
  return joined(pieces);
}

/** Where the next usage or error object starts at or after `from` (-1: none). */
function nextObject(bytes: Uint8Array, from: number, usage: boolean, error: boolean): number {
  const u = usage ? objectAt(bytes, USAGE_KEY, from) : -1;
  const e = error ? objectAt(bytes, ERROR_KEY, from) : -1;
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

const DONE = ascii("[DONE]");
const DATA_FIELD = ascii("data:");
const CHOICE = ascii('"choices":[{');
const FINISH_REASON = ascii('"finish_reason":');
const USAGE_KEY = ascii('"usage":');
const ERROR_KEY = ascii('"error":');
const ID_KEY = ascii('"id":');

/** Where the first `data: [DONE]` (or `data:[DONE]`) line starts, -1 when none. */
function doneLineAt(bytes: Uint8Array): number {
  for (let at = indexOf(bytes, DONE); at !== -1; at = indexOf(bytes, DONE, at + DONE.length)) {
    const field = bytes[at - 1] === SPACE ? at - DATA_FIELD.length - 1 : at - DATA_FIELD.length;
    if (isLineStart(bytes, field) && matchesAt(bytes, field, DATA_FIELD)) return field;
  }
  return -1;
}

/** The first `"id": "..."` string value (1-200 characters, no escapes), if any. */
function firstId(bytes: Uint8Array): string | undefined {
  for (let at = indexOf(bytes, ID_KEY); at !== -1; at = indexOf(bytes, ID_KEY, at + ID_KEY.length)) {
    const open = skipSpace(bytes, at + ID_KEY.length);
    if (bytes[open] !== QUOTE) continue;
    let close = open + 1;
    while (close < bytes.length && bytes[close] !== QUOTE && bytes[close] !== BACKSLASH && bytes[close] !== NEWLINE) close++;
    if (bytes[close] !== QUOTE || close === open + 1) continue;
    const id = decoder.decode(bytes.subarray(open + 1, close));
    if (id.length <= 200) return id;
  }
  return undefined;
}

/** A byte of a regular expression's `\w`: a finish reason is one word. */
const isWordByte = (byte: number | undefined): boolean =>
  byte !== undefined && ((byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte === 95);

/** Counts the chunks with choices and notes every string finish reason, in order. */
function noteChoices(bytes: Uint8Array, outcome: StreamOutcome): void {
  for (let at = indexOf(bytes, CHOICE); at !== -1; at = indexOf(bytes, CHOICE, at + CHOICE.length)) outcome.chunks++;
  for (let at = indexOf(bytes, FINISH_REASON); at !== -1; at = indexOf(bytes, FINISH_REASON, at + FINISH_REASON.length)) {
    const open = skipSpace(bytes, at + FINISH_REASON.length);
    if (bytes[open] !== QUOTE) continue;
    let close = open + 1;
    while (isWordByte(bytes[close])) close++;
    if (close === open + 1 || bytes[close] !== QUOTE) continue;
    let reason = "";
    for (let i = open + 1; i < close; i++) reason += String.fromCharCode(bytes[i] as number);
    outcome.finishReasons.push(reason);
  }
}

/**
 * Passes the upstream's bytes through; only a usage-only chunk the client did not ask for is held back. Reads are
 * searched as bytes (the markers are ASCII); only a read holding a usage or error object is decoded, to be rewritten.
 * The `[DONE]` event and whatever follows it are kept aside (`takeHeld`), to be sent once the call is settled.
 */
export function passthroughScanner(options: RelayOptions, outcome: StreamOutcome) {
  /** The reads after the last line end so far, kept as they came: an event's start, scanned once its line is complete. */
  let carry: Uint8Array[] = [];
  let sawDone = false;
  /** The `[DONE]` event and whatever came after it, not yet taken. */
  let held: Uint8Array[] = [];
  const left: LeftOut = { blankLineNext: false };
  return {
    get sawDone() {
      return sawDone;
    },
    /** The `[DONE]` event onwards, once seen (then nothing until more comes). */
    takeHeld(): Uint8Array | undefined {
      if (held.length === 0) return undefined;
      const out = held.length === 1 ? (held[0] as Uint8Array) : joined(held);
      held = [];
      return out;
    },
    scan(bytes: Uint8Array): Uint8Array | undefined {
      if (sawDone) {
        // past [DONE]: nothing more to read, only to pass on after the settlement
        held.push(bytes);
        return undefined;
      }
      const lineEnd = bytes.lastIndexOf(NEWLINE) + 1;
      if (lineEnd === 0) {
        carry.push(bytes);
        return undefined;
      }
      // The complete lines: this read itself when it starts and ends on a line's edge (most reads), else a copy.
      let complete = carry.length === 0 && lineEnd === bytes.length ? bytes : joined(carry, bytes, lineEnd);
      carry = lineEnd < bytes.length ? [bytes.slice(lineEnd)] : [];
      if (left.blankLineNext) {
        left.blankLineNext = false;
        const blank = blankLineAt(complete, 0);
        if (blank > 0) complete = complete.subarray(blank);
      }
      const doneAt = doneLineAt(complete);
      if (doneAt !== -1) {
        sawDone = true;
        held = [complete.slice(doneAt), ...carry];
        carry = [];
        complete = complete.slice(0, doneAt);
      }
      // the first event that has one (a stream may open with comments: `: PROCESSING`)
      if (outcome.id === undefined && complete.length > 0) outcome.id = firstId(complete);
      noteChoices(complete, outcome);
      const hasUsage = objectAt(complete, USAGE_KEY) !== -1;
      const hasError = objectAt(complete, ERROR_KEY) !== -1;
      const out = hasUsage || hasError ? rewriteEvents(complete, hasUsage, hasError, options, outcome, left) : complete;
      return out.length === 0 ? undefined : out;
    },
    /** What came after the last line end, when the upstream ended there. */
    rest: (): Uint8Array | undefined => (carry.length === 0 ? undefined : joined(carry)),
  };
}
