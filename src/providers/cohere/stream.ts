// Cohere v2 chat stream (SSE, one `type` per event) -> OpenAI chat.completion.chunk objects.
// Text comes from content-delta; tool calls from tool-call-start/-delta with stable indexes 0, 1, ... in order of
// tool-call-start; tool-plan-delta, citations and debug events are not content; message-end carries finish and usage.
import type { ChatCompletionChunk, FinishReason, StreamEvent, StreamTranslator, ToolCallDelta } from "../../plugins/sdk.ts";
import { type ChunkDelta, type ChunkIdentity, deltaChunk, usageChunk } from "../stream-chunks.ts";
import { finishReasonFromCohere, usageFromCohere } from "./chat-response.ts";
import { isRecord, numberAt, recordAt, stringAt } from "./wire.ts";

export interface CohereStreamState extends ChunkIdentity {
  /** Cohere's tool-call event index -> the OpenAI tool_calls index. */
  toolIndexes: Map<number, number>;
  lastToolIndex: number;
  ended: boolean;
}

type Delta = ChunkDelta;

const chunk = (state: CohereStreamState, delta: Delta, finish: FinishReason = null): ChatCompletionChunk => deltaChunk(state, delta, finish);

function toolCallStart(event: Record<string, unknown>, state: CohereStreamState): ChatCompletionChunk[] {
  const call = recordAt(recordAt(recordAt(event, "delta"), "message"), "tool_calls");
  const fn = recordAt(call, "function");
  const index = state.toolIndexes.size;
  state.toolIndexes.set(numberAt(event, "index") ?? index, index);
  state.lastToolIndex = index;
  const delta: ToolCallDelta = {
    index,
    id: stringAt(call, "id") ?? `call_${index}`,
    type: "function",
    function: { name: stringAt(fn, "name") ?? "", arguments: stringAt(fn, "arguments") ?? "" },
  };
  return [chunk(state, { tool_calls: [delta] })];
}

function toolCallDelta(event: Record<string, unknown>, state: CohereStreamState): ChatCompletionChunk[] {
  const fn = recordAt(recordAt(recordAt(recordAt(event, "delta"), "message"), "tool_calls"), "function");
  const args = stringAt(fn, "arguments");
  if (!args) return [];
  const cohereIndex = numberAt(event, "index");
  const index = (cohereIndex !== undefined ? state.toolIndexes.get(cohereIndex) : undefined) ?? state.lastToolIndex;
  return [chunk(state, { tool_calls: [{ index, function: { arguments: args } }] })];
}

function messageEnd(event: Record<string, unknown>, state: CohereStreamState): ChatCompletionChunk[] {
  const delta = recordAt(event, "delta");
  const finish = finishReasonFromCohere(stringAt(delta, "finish_reason"), stringAt(delta, "error"));
  state.ended = true;
  const out = [chunk(state, {}, finish)];
  const usage = usageFromCohere(delta?.usage);
  if (usage) out.push(usageChunk(state, usage));
  return out;
}

export function translateCohereEvent(event: StreamEvent, state: CohereStreamState): ChatCompletionChunk[] {
  const data = event.data.trim();
  if (data === "" || data === "[DONE]") return [];
  const parsed: unknown = JSON.parse(data);
  if (!isRecord(parsed)) return [];
  switch (parsed.type ?? event.event) {
    case "message-start":
      state.id = stringAt(parsed, "id") ?? state.id;
      return [chunk(state, { content: "" })];
    case "content-start":
    case "content-delta": {
      // `text` parts carry text; `thinking` parts carry `thinking`, which is not content
      const text = stringAt(recordAt(recordAt(recordAt(parsed, "delta"), "message"), "content"), "text");
      return text ? [chunk(state, { content: text })] : [];
    }
    case "tool-call-start":
      return toolCallStart(parsed, state);
    case "tool-call-delta":
      return toolCallDelta(parsed, state);
    case "message-end":
      return messageEnd(parsed, state);
    default:
      // content-end, tool-plan-delta, tool-call-end, citation-start/-end, debug
      return [];
  }
}

export const cohereStream: StreamTranslator<CohereStreamState> = {
  framing: "sse",
  start: (ctx) => ({
    id: `chatcmpl-${crypto.randomUUID()}`,
    model: ctx.model,
    created: Math.floor(Date.now() / 1000),
    roleSent: false,
    toolIndexes: new Map(),
    lastToolIndex: 0,
    ended: false,
  }),
  translate: translateCohereEvent,
  finish: (state) => {
    if (!state.ended) throw new Error("the stream ended before Cohere's message-end event");
    return [];
  },
};
