// Internal stream chunks -> Anthropic's event sequence: message_start, then per content block content_block_start,
// content_block_delta (text_delta, input_json_delta) and content_block_stop, then message_delta (stop_reason and
// usage, known only at the end) and message_stop. One encoder per stream: it keeps the open blocks.
import type { StreamEncoder, StreamStart } from "../../core/dialect.ts";
import type { ChatCompletionChunk, ToolCallDelta, Usage } from "../../plugins/sdk.ts";
import { encodeAnthropicStreamError } from "./errors.ts";
import { anthropicUsage, bytes, sseEvent, stopReasonOf } from "./wire.ts";

interface State {
  started: boolean;
  /** The next content block's index. */
  nextIndex: number;
  /** The block deltas go to now: a text block or a tool_use block. */
  open?: { index: number; kind: "text" | "tool" };
  /** OpenAI tool_calls index -> content block index. */
  toolBlocks: Map<number, number>;
  finishReason?: string | null;
  usage?: Usage;
  id: string;
  model: string;
}

function messageStart(state: State, chunk: ChatCompletionChunk | undefined): string {
  state.started = true;
  if (chunk?.id) state.id = chunk.id;
  if (chunk?.model) state.model = chunk.model;
  const message = {
    id: state.id,
    type: "message",
    role: "assistant",
    model: state.model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    // Input is counted when the upstream reports it, at the end: message_delta carries the whole usage.
    usage: { input_tokens: 0, output_tokens: 0 },
  };
  return sseEvent({ type: "message_start", message });
}

function closeOpen(state: State): string {
  if (!state.open) return "";
  const { index } = state.open;
  state.open = undefined;
  return sseEvent({ type: "content_block_stop", index });
}

function startBlock(state: State, kind: "text" | "tool", contentBlock: Record<string, unknown>): string {
  const out = closeOpen(state);
  const index = state.nextIndex++;
  state.open = { index, kind };
  return out + sseEvent({ type: "content_block_start", index, content_block: contentBlock });
}

function text(state: State, content: string): string {
  const start = state.open?.kind === "text" ? "" : startBlock(state, "text", { type: "text", text: "" });
  const index = state.open?.index ?? 0;
  return start + sseEvent({ type: "content_block_delta", index, delta: { type: "text_delta", text: content } });
}

function toolCall(state: State, call: ToolCallDelta): string {
  let out = "";
  let index = state.toolBlocks.get(call.index);
  if (index === undefined) {
    out += startBlock(state, "tool", { type: "tool_use", id: call.id ?? `toolu_${call.index}`, name: call.function?.name ?? "", input: {} });
    index = state.open?.index ?? 0;
    state.toolBlocks.set(call.index, index);
  }
  const partial = call.function?.arguments;
  if (partial) out += sseEvent({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: partial } });
  return out;
}

function encodeChunk(state: State, chunk: ChatCompletionChunk): string {
  let out = state.started ? "" : messageStart(state, chunk);
  if (chunk.usage) state.usage = chunk.usage;
  // Anthropic answers with one message: the first choice is the answer.
  const choice = chunk.choices.find((c) => c.index === 0);
  if (!choice) return out;
  const { content, tool_calls } = choice.delta;
  if (typeof content === "string" && content !== "") out += text(state, content);
  for (const call of tool_calls ?? []) out += toolCall(state, call);
  if (choice.finish_reason) state.finishReason = choice.finish_reason;
  return out;
}

function encodeEnd(state: State): string {
  let out = state.started ? "" : messageStart(state, undefined);
  out += closeOpen(state);
  const delta = { stop_reason: stopReasonOf(state.finishReason), stop_sequence: null };
  out += sseEvent({ type: "message_delta", delta, usage: anthropicUsage(state.usage) });
  return out + sseEvent({ type: "message_stop" });
}

export function anthropicStreamEncoder({ request }: StreamStart): StreamEncoder {
  const state: State = {
    started: false,
    nextIndex: 0,
    toolBlocks: new Map(),
    id: `msg_${crypto.randomUUID().replaceAll("-", "")}`,
    model: typeof request.model === "string" ? request.model : "",
  };
  return {
    chunk: (chunk) => {
      const out = encodeChunk(state, chunk);
      return out === "" ? undefined : bytes(out);
    },
    end: () => bytes(encodeEnd(state)),
    error: encodeAnthropicStreamError,
  };
}
