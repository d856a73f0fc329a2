import { describe, expect, test } from "bun:test";
import { ndjsonParser, sseParser } from "../../src/gateway/sse.ts";

describe("SSE parser", () => {
  test("events split across chunks, CRLF, comments, event names and multi-line data", () => {
    const parser = sseParser();
    const out = [
      ...parser.push(": keep-alive\r\nevent: message_start\r\ndata: {\"a\":"),
      ...parser.push("1}\r\n\r\ndata: line one\ndata: line two\n"),
      ...parser.push("\nevent: ping\ndata:{}\n\n"),
    ];
    expect(out).toEqual([
      { event: "message_start", data: '{"a":1}' },
      { data: "line one\nline two" },
      { event: "ping", data: "{}" },
    ]);
  });

  test("a last event without its blank line is flushed at the end (Gemini streams end at EOF)", () => {
    const parser = sseParser();
    expect(parser.push('data: {"x":1}\n')).toEqual([]);
    expect(parser.end()).toEqual([{ data: '{"x":1}' }]);
  });

  test("events with no data are not dispatched", () => {
    const parser = sseParser();
    expect(parser.push("event: lonely\n\n")).toEqual([]);
  });
});

describe("NDJSON parser", () => {
  test("one event per line, partial lines held until complete", () => {
    const parser = ndjsonParser();
    expect(parser.push('{"a":1}\n{"b"')).toEqual([{ data: '{"a":1}' }]);
    expect(parser.push(":2}\n\n")).toEqual([{ data: '{"b":2}' }]);
    expect(parser.push('{"c":3}')).toEqual([]);
    expect(parser.end()).toEqual([{ data: '{"c":3}' }]);
  });
});
