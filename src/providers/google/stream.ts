// Translates streamGenerateContent?alt=sse into OpenAI chunks. Each SSE event is a partial
// GenerateContentResponse; there is no [DONE]: the stream ends at EOF, after a candidate's finishReason.
import type { ChatCompletionChunk, ChatRequest, ProviderContext, StreamEvent, StreamTranslator, Usage } from "../../plugins/sdk.ts";
import { finishReasonOf, newCompletionId, toolCallOf, usageOf, visibleText } from "./chat-response.ts";
import type { GeminiCandidate, GeminiResponse } from "./wire.ts";
import { asGeminiResponse } from "./wire.ts";

interface CandidateState {
  /** Tool calls emitted so far: the next one's index (and `call_<n>` id). */
  toolCalls: number;
  finished: boolean;
}

export interface GeminiStreamState {
  id?: string;
  model: string;
  created: number;
  candidates: Map<number, CandidateState>;
  usage?: Usage;
  blocked: boolean;
}

type Choice = ChatCompletionChunk["choices"][number];

function chunk(state: GeminiStreamState, choices: Choice[]): ChatCompletionChunk {
  state.id ??= newCompletionId();
  return { id: state.id, object: "chat.completion.chunk", created: state.created, model: state.model, choices };
}

function candidateChoices(candidate: GeminiCandidate, position: number, state: GeminiStreamState): Choice[] {
  const index = candidate.index ?? position;
  let seen = state.candidates.get(index);
  const choices: Choice[] = [];
  if (!seen) {
    seen = { toolCalls: 0, finished: false };
    state.candidates.set(index, seen);
    choices.push({ index, delta: { role: "assistant", content: "" }, finish_reason: null });
  }
  const parts = candidate.content?.parts ?? [];
  const text = visibleText(parts);
  if (text !== "") choices.push({ index, delta: { content: text }, finish_reason: null });
  for (const part of parts) {
    if (!part.functionCall) continue;
    // Gemini sends each function call whole: one delta with id, name and all the arguments.
    const n = seen.toolCalls++;
    const call = toolCallOf(part.functionCall, n);
    choices.push({ index, delta: { tool_calls: [{ index: n, id: call.id, type: "function", function: call.function }] }, finish_reason: null });
  }
  if (candidate.finishReason && !seen.finished) {
    seen.finished = true;
    const reason = finishReasonOf(candidate.finishReason, seen.toolCalls > 0);
    const last = choices.at(-1);
    // The last delta of this event carries the finish reason; an event with no delta gets an empty one.
    if (last && last.delta.role === undefined) last.finish_reason = reason;
    else choices.push({ index, delta: {}, finish_reason: reason });
  }
  return choices;
}

function parseEvent(event: StreamEvent): GeminiResponse | undefined {
  if (event.data.trim() === "") return undefined;
  let json: unknown;
  try {
    json = JSON.parse(event.data);
  } catch {
    throw new Error(`Gemini sent a stream event that is not JSON: ${event.data.slice(0, 200)}`);
  }
  return asGeminiResponse(json);
}

export const geminiStream: StreamTranslator<GeminiStreamState> = {
  framing: "sse",
  start(ctx: ProviderContext, _request: ChatRequest): GeminiStreamState {
    return { model: ctx.model, created: Math.floor(Date.now() / 1000), candidates: new Map(), blocked: false };
  },
  translate(event, state) {
    const response = parseEvent(event);
    if (!response) return [];
    state.id ??= response.responseId;
    if (response.modelVersion) state.model = response.modelVersion;
    state.usage = usageOf(response.usageMetadata) ?? state.usage;
    const candidates = response.candidates ?? [];
    if (candidates.length === 0 && response.promptFeedback?.blockReason && !state.blocked) {
      // The prompt was blocked before any candidate: one empty, filtered choice.
      state.blocked = true;
      state.candidates.set(0, { toolCalls: 0, finished: true });
      return [
        chunk(state, [{ index: 0, delta: { role: "assistant", content: null }, finish_reason: "content_filter" }]),
      ];
    }
    return candidates.flatMap((candidate, position) => candidateChoices(candidate, position, state).map((choice) => chunk(state, [choice])));
  },
  finish(state) {
    const open = state.candidates.size === 0 || [...state.candidates.values()].some((c) => !c.finished);
    if (open) throw new Error("the stream ended before Gemini sent a finish reason");
    return state.usage ? [{ ...chunk(state, []), usage: state.usage }] : [];
  },
};
