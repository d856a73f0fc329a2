// IndoxRouter's stream: OpenAI chunk events (the client indexes `choices[0]`, so a chunk without choices, such as
// the usage-only one, is never sent), ending with `data: [DONE]`, or with an error event when it fails.
import type { StreamEncoder } from "../../core/dialect.ts";
import { streamErrorEvent } from "./wire-errors.ts";

const encoder = new TextEncoder();
const STREAM_END = encoder.encode("data: [DONE]\n\n");

export function indoxStreamEncoder(): StreamEncoder {
  return {
    chunk: (chunk) => (chunk.choices.length === 0 ? undefined : encoder.encode(`data: ${JSON.stringify(chunk)}\n\n`)),
    end: () => STREAM_END,
    error: streamErrorEvent,
  };
}
