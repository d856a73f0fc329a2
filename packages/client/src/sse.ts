// Server-sent events from a fetch body, as an async iterator of events (the `event:` name and the joined `data:`
// lines), following the WHATWG rules: LF, CRLF or CR line ends, comments skipped, an event ends at a blank line.

export interface ServerSentEvent {
  event: string | null;
  data: string;
}

/** The lines of a byte stream, decoded as UTF-8, whatever the line end. */
async function* lines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: RegExpExecArray | null;
      // A lone CR at the end of the buffer may be the first half of a CRLF: wait for the next chunk.
      while ((end = /\r\n|\n|\r(?!$)/.exec(buffer)) !== null) {
        yield buffer.slice(0, end.index);
        buffer = buffer.slice(end.index + end[0].length);
      }
    }
    buffer += decoder.decode();
    for (const line of buffer.split(/\r\n|\n|\r/)) yield line;
    finished = true;
  } finally {
    // Left early (the caller stopped reading, or failed): the connection is cancelled, so keyway stops the upstream.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

export async function* serverSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  let event: string | null = null;
  let data: string[] = [];
  for await (const line of lines(body)) {
    if (line === "") {
      if (data.length > 0) yield { event, data: data.join("\n") };
      event = null;
      data = [];
      continue;
    }
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data.push(value);
    else if (field === "event") event = value;
  }
  if (data.length > 0) yield { event, data: data.join("\n") };
}
