// Anthropic's Messages SSE events -> OpenAI chat.completion.chunk objects, a pure step function over explicit state.
import type {
  ChatCompletionChunk,
  ChatRequest,
  FinishReason,
  ProviderContext,
  StreamEvent,
  StreamTranslator,
  ToolCallDelta,
} from "../../plugins/sdk.ts";
import { type ChunkDelta, type ChunkIdentity, deltaChunk, usageChunk } from "../stream-chunks.ts";
import { jsonAnswerTool } from "./json-output.ts";
import { finishReasonOf, usageOf } from "./response.ts";
import type { AnthropicUsage } from "./types.ts";

export interface AnthropicStreamState extends ChunkIdentity {
  usage: AnthropicUsage;
  /** Content block index -> OpenAI tool_calls index (0, 1, 2 in the order tool blocks start). */
  toolIndexByBlock: Map<number, number>;
  /** message_stop arrived: the answer is complete. */
  complete: boolean;
  /**
   * The tool carrying a JSON answer (./json-output.ts), when the request asked for one that way: its input is
   * streamed as content, and other text (a preamble) is left out so the content is the JSON alone.
   */
  jsonTool?: string;
  /** Content block indexes of the JSON tool's calls. */
  jsonBlocks: Set<number>;
}

type Delta = ChunkDelta;

interface AnthropicEvent {
  type?: string;
  index?: number;
  message?: { id?: string; model?: string; usage?: AnthropicUsage };
  content_block?: { type?: string; id?: string; name?: string; text?: string };
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string | null };
  usage?: AnthropicUsage;
  error?: { type?: string; message?: string };
}

function parse(event: StreamEvent): AnthropicEvent {
  try {
    const parsed: unknown = JSON.parse(event.data);
    if (typeof parsed === "object" && parsed !== null) return parsed as AnthropicEvent;
  } catch {
    // reported below
  }
  throw new Error(`Anthropic sent an unreadable ${event.event ?? "stream"} event`);
}

const chunk = (state: AnthropicStreamState, delta: Delta, finishReason: FinishReason = null): ChatCompletionChunk =>
  deltaChunk(state, delta, finishReason);

function toolDelta(state: AnthropicStreamState, delta: ToolCallDelta): ChatCompletionChunk {
  return chunk(state, { tool_calls: [delta] });
}

/** Keeps the latest value of each counter Anthropic reports (message_delta counts are cumulative). */
function mergeUsage(state: AnthropicStreamState, usage: AnthropicUsage | undefined): void {
  if (!usage) return;
  for (const [name, value] of Object.entries(usage)) {
    if (typeof value === "number") (state.usage as Record<string, number>)[name] = value;
  }
}

function blockStart(event: AnthropicEvent, state: AnthropicStreamState): ChatCompletionChunk[] {
  const block = event.content_block;
  if (block?.type === "text") return block.text && state.jsonTool === undefined ? [chunk(state, { content: block.text })] : [];
  if (block?.type !== "tool_use" || typeof event.index !== "number") return [];
  if (state.jsonTool !== undefined && block.name === state.jsonTool) {
    state.jsonBlocks.add(event.index);
    return [];
  }
  const index = state.toolIndexByBlock.size;
  state.toolIndexByBlock.set(event.index, index);
  return [toolDelta(state, { index, id: block.id, type: "function", function: { name: block.name, arguments: "" } })];
}

function blockDelta(event: AnthropicEvent, state: AnthropicStreamState): ChatCompletionChunk[] {
  const delta = event.delta;
  if (delta?.type === "text_delta" && delta.text) return state.jsonTool === undefined ? [chunk(state, { content: delta.text })] : [];
  if (delta?.type === "input_json_delta" && delta.partial_json && typeof event.index === "number" && state.jsonBlocks.has(event.index)) {
    return [chunk(state, { content: delta.partial_json })];
  }
  if (delta?.type === "input_json_delta" && delta.partial_json) {
    const index = typeof event.index === "number" ? state.toolIndexByBlock.get(event.index) : undefined;
    if (index === undefined) return [];
    return [toolDelta(state, { index, function: { arguments: delta.partial_json } })];
  }
  // thinking_delta, signature_delta, citations_delta: nothing OpenAI's chunk format carries.
  return [];
}

export function translateAnthropicEvent(event: StreamEvent, state: AnthropicStreamState): ChatCompletionChunk[] {
  const parsed = parse(event);
  switch (parsed.type ?? event.event) {
    case "message_start": {
      const message = parsed.message ?? {};
      if (typeof message.id === "string") state.id = message.id;
      if (typeof message.model === "string") state.model = message.model;
      mergeUsage(state, message.usage);
      return [chunk(state, { content: "" })];
    }
    case "content_block_start":
      return blockStart(parsed, state);
    case "content_block_delta":
      return blockDelta(parsed, state);
    case "message_delta": {
      mergeUsage(state, parsed.usage);
      let finish = finishReasonOf(parsed.delta?.stop_reason);
      // An answer given through the JSON tool alone ends normally.
      if (finish === "tool_calls" && state.jsonBlocks.size > 0 && state.toolIndexByBlock.size === 0) finish = "stop";
      return finish ? [chunk(state, {}, finish)] : [];
    }
    case "message_stop":
      state.complete = true;
      return [usageChunk(state, usageOf(state.usage))];
    case "error": {
      const { type, message } = parsed.error ?? {};
      throw new Error(`${message ?? "Anthropic reported an error"}${type ? ` (${type})` : ""}`);
    }
    default:
      // ping, content_block_stop, and event types added later: nothing to send.
      return [];
  }
}

export const anthropicStream: StreamTranslator<AnthropicStreamState> = {
  framing: "sse",
  start: (ctx: ProviderContext, request: ChatRequest): AnthropicStreamState => ({
    id: "",
    model: ctx.model,
    created: Math.floor(Date.now() / 1000),
    usage: {},
    toolIndexByBlock: new Map(),
    roleSent: false,
    complete: false,
    jsonTool: jsonAnswerTool(request, ctx),
    jsonBlocks: new Set(),
  }),
  translate: translateAnthropicEvent,
  finish(state) {
    if (!state.complete) throw new Error("the upstream closed the stream before message_stop");
    return [];
  },
};
