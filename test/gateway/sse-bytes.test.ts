import { describe, expect, test } from "bun:test";
import { ascii, indexOf, isLineStart, joined, matchesAt, objectAt, skipSpace } from "../../src/gateway/sse-bytes.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("byte search over an SSE read", () => {
  test("indexOf finds a marker from an offset, and nothing from past the end", () => {
    const read = bytes('data: {"a":1}\ndata: {"a":2}\n');
    expect(indexOf(read, ascii('"a"'))).toBe(7);
    expect(indexOf(read, ascii('"a"'), 8)).toBe(21);
    expect(indexOf(read, ascii('"a"'), 22)).toBe(-1);
    expect(indexOf(read, ascii("data"), read.length)).toBe(-1);
  });

  test("a marker after multi-byte characters is found at its byte offset", () => {
    const read = bytes('data: {"text":"日本 👋","usage":{}}\n');
    const at = indexOf(read, ascii('"usage":'));
    expect(new TextDecoder().decode(read.subarray(at, at + 8))).toBe('"usage":');
    expect(objectAt(read, ascii('"usage":'))).toBe(at);
  });

  test("objectAt wants an object after the key, whatever the spacing; null or a quoted mention is not one", () => {
    const usage = ascii('"usage":');
    expect(objectAt(bytes('{"usage": \t{"total_tokens":1}}'), usage)).toBe(1);
    expect(objectAt(bytes('{"usage":null}'), usage)).toBe(-1);
    expect(objectAt(bytes('{"content":"usage: {"}'), usage)).toBe(-1);
    expect(objectAt(bytes('{"usage":null,"x":{"usage":{}}}'), usage)).toBe(19);
    expect(objectAt(bytes('{"usage":{},"usage":{}}'), usage, 2)).toBe(12);
  });

  test("matchesAt and isLineStart stay inside the read", () => {
    const read = bytes("ab\r\ndata: x");
    expect(matchesAt(read, 4, ascii("data:"))).toBe(true);
    expect(matchesAt(read, -1, ascii("ab"))).toBe(false);
    expect(matchesAt(read, 9, ascii("x!"))).toBe(false);
    expect(isLineStart(read, 0)).toBe(true);
    expect(isLineStart(read, 4)).toBe(true);
    expect(isLineStart(read, 1)).toBe(false);
    expect(isLineStart(read, -2)).toBe(false);
    expect(skipSpace(bytes("  \t\n x"), 0)).toBe(5);
  });

  test("joined copies pieces and a prefix of a tail into a new array, leaving the inputs as they were", () => {
    const head = bytes("ab");
    const read = bytes("cdef");
    const out = joined([head], read, 3);
    expect(new TextDecoder().decode(out)).toBe("abcde");
    out[0] = 0;
    expect(head[0]).toBe(97);
    expect(new TextDecoder().decode(joined([], read))).toBe("cdef");
    expect(new TextDecoder().decode(joined([head, read.subarray(1, 2), bytes(""), read]))).toBe("abdcdef");
    expect(joined([]).length).toBe(0);
  });
});
