// Searching an SSE stream's bytes for ASCII markers without decoding them (a marker's bytes are the same wherever it
// sits in UTF-8 text), and joining pieces of it without making views (a view costs as much as a copy of a short read).

export const NEWLINE = 10;
export const CARRIAGE_RETURN = 13;
export const SPACE = 32;
export const QUOTE = 34;
export const BACKSLASH = 92;
export const OPEN_BRACE = 123;

const encoder = new TextEncoder();

/** A marker's bytes. */
export const ascii = (text: string): Uint8Array => encoder.encode(text);

/** The runtime's native byte search, on any Uint8Array. */
const nativeIndexOf = Buffer.prototype.indexOf as unknown as (this: Uint8Array, value: Uint8Array, byteOffset: number) => number;
const copyBytes = Buffer.prototype.copy as unknown as (this: Uint8Array, target: Uint8Array, targetStart: number, sourceStart: number, sourceEnd: number) => number;

/** Where `marker` next starts at or after `from`, -1 when nowhere. */
export const indexOf = (bytes: Uint8Array, marker: Uint8Array, from = 0): number => (from >= bytes.length ? -1 : nativeIndexOf.call(bytes, marker, from));

/** `marker` starts exactly at `at`. */
export function matchesAt(bytes: Uint8Array, at: number, marker: Uint8Array): boolean {
  if (at < 0 || at + marker.length > bytes.length) return false;
  for (let i = 0; i < marker.length; i++) if (bytes[at + i] !== marker[i]) return false;
  return true;
}

/** `at` is the first byte of a line. */
export const isLineStart = (bytes: Uint8Array, at: number): boolean => at === 0 || (at > 0 && (bytes[at - 1] === NEWLINE || bytes[at - 1] === CARRIAGE_RETURN));

/** JSON's whitespace (and \v, \f, which a regular expression's \s takes too). */
const isSpace = (byte: number | undefined): boolean => byte === SPACE || (byte !== undefined && byte >= 9 && byte <= 13);

/** The first byte at or after `at` that is not whitespace. */
export function skipSpace(bytes: Uint8Array, at: number): number {
  while (isSpace(bytes[at])) at++;
  return at;
}

/** Where the next `"key": {` starts at or after `from` (any spacing before the brace), -1 when nowhere; `key` is the quoted key and its colon. */
export function objectAt(bytes: Uint8Array, key: Uint8Array, from = 0): number {
  for (let at = indexOf(bytes, key, from); at !== -1; at = indexOf(bytes, key, at + key.length)) {
    if (bytes[skipSpace(bytes, at + key.length)] === OPEN_BRACE) return at;
  }
  return -1;
}

/** The pieces one after another, then `tail` up to `end` (copied without making a view of it), in a new array. */
export function joined(pieces: readonly Uint8Array[], tail?: Uint8Array, end = tail?.length ?? 0): Uint8Array {
  let length = end;
  for (const piece of pieces) length += piece.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  if (tail) copyBytes.call(tail, out, at, 0, end);
  return out;
}
