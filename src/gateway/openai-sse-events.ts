// OpenAI SSE read as chunks, for a client whose dialect is not OpenAI's: each `data:` event is one chunk, `[DONE]`
// ends nothing by itself (the relay ends the stream), and an error event fails the stream with its message.
import type { ChatCompletionChunk, StreamEvent, StreamTranslator } from "../plugins/sdk.ts";

function chunkOf(event: StreamEvent): ChatCompletionChunk[] {
  const data = event.data.trim();
  if (data === "" || data === "[DONE]") return [];
  const parsed = JSON.parse(data) as (Partial<ChatCompletionChunk> & { error?: { message?: unknown } }) | null;
  if (parsed === null || typeof parsed !== "object") return [];
  if (typeof parsed.error === "object" && parsed.error !== null) {
    // The relay redacts the message (the attempt's key and every key shape) before it reaches the client.
    throw new Error(typeof parsed.error.message === "string" ? parsed.error.message : "the upstream sent an error event");
  }
  return [{ ...parsed, choices: parsed.choices ?? [] } as ChatCompletionChunk];
}

export const openAISseEvents: StreamTranslator<undefined> = {
  framing: "sse",
  start: () => undefined,
  translate: (event) => chunkOf(event),
  finish: () => [],
};
