// Building OpenAI chunks in stream translators: the first chunk carries the assistant role, the usage chunk has no choices.
import type { ChatCompletionChunk, FinishReason, Usage } from "../plugins/sdk.ts";

export interface ChunkIdentity {
  id: string;
  model: string;
  created: number;
  /** Set once the first chunk (with `role: "assistant"`) went out. */
  roleSent: boolean;
}

export type ChunkDelta = ChatCompletionChunk["choices"][number]["delta"];

/** A one-choice chunk; the very first one also says `role: "assistant"`. */
export function deltaChunk(state: ChunkIdentity, delta: ChunkDelta, finishReason: FinishReason = null): ChatCompletionChunk {
  const withRole = state.roleSent ? delta : { role: "assistant" as const, ...delta };
  state.roleSent = true;
  return {
    id: state.id,
    object: "chat.completion.chunk",
    created: state.created,
    model: state.model,
    choices: [{ index: 0, delta: withRole, finish_reason: finishReason }],
  };
}

/** The final usage-only chunk (no choices), as OpenAI sends with stream_options.include_usage. */
export function usageChunk(state: Pick<ChunkIdentity, "id" | "model" | "created">, usage: Usage): ChatCompletionChunk {
  return { id: state.id, object: "chat.completion.chunk", created: state.created, model: state.model, choices: [], usage };
}
