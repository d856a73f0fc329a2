// Incremental parsers for upstream streams: Server-Sent Events and newline-delimited JSON.
import type { StreamEvent } from "../plugins/sdk.ts";

export interface EventParser {
  /** Feeds decoded text; returns the events it completed. */
  push(text: string): StreamEvent[];
  /** Flushes what is left at the end of the stream. */
  end(): StreamEvent[];
}

/** SSE per the HTML spec: `event:`/`data:` fields, multi-line data joined by '\n', dispatch on a blank line. */
export function sseParser(): EventParser {
  let buffer = "";
  let event: string | undefined;
  let data: string[] = [];
  const takeLine = (line: string, out: StreamEvent[]) => {
    if (line === "") {
      if (data.length > 0) out.push(event === undefined ? { data: data.join("\n") } : { event, data: data.join("\n") });
      event = undefined;
      data = [];
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data.push(value);
    else if (field === "event") event = value;
  };
  const drain = (final: boolean): StreamEvent[] => {
    const out: StreamEvent[] = [];
    let start = 0;
    for (;;) {
      const newline = buffer.indexOf("\n", start);
      if (newline === -1) break;
      const end = newline > start && buffer[newline - 1] === "\r" ? newline - 1 : newline;
      takeLine(buffer.slice(start, end), out);
      start = newline + 1;
    }
    buffer = buffer.slice(start);
    if (final) {
      if (buffer !== "") takeLine(buffer.replace(/\r$/, ""), out);
      takeLine("", out);
      buffer = "";
    }
    return out;
  };
  return { push: (text) => { buffer += text; return drain(false); }, end: () => drain(true) };
}

/** One JSON document per line (Cohere-style streams, or arrays served line by line). */
export function ndjsonParser(): EventParser {
  let buffer = "";
  const lines = (final: boolean): StreamEvent[] => {
    const parts = buffer.split("\n");
    buffer = final ? "" : (parts.pop() ?? "");
    return parts.map((line) => line.trim()).filter((line) => line !== "").map((data) => ({ data }));
  };
  return { push: (text) => { buffer += text; return lines(false); }, end: () => lines(true) };
}
