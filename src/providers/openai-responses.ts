// OpenAI's Responses API spoken natively (POST {baseUrl}/responses): the client's body goes as it is (model set to the
// upstream id), the answer and the event stream come back untouched; keyway only reads usage, model and how it
// ended, from the response object or the stream's response.completed / response.incomplete / response.failed.
import type { ChatCompletionChunk, FinishReason, NativeEndpoint, NativeReading, ProviderContext, StreamEvent, StreamTranslator, UpstreamRequest, Usage } from "../plugins/sdk.ts";

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const count = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : 0);

/** The stream's last events: the response in its final state. */
const FINAL_EVENTS = new Set(["response.completed", "response.incomplete", "response.failed"]);

/** Responses usage in chat's names, with the cache (read, write) and reasoning token details. */
export function usageOfResponse(usage: unknown): Usage | undefined {
  if (!isRecord(usage)) return undefined;
  const input = isRecord(usage.input_tokens_details) ? usage.input_tokens_details : {};
  const output = isRecord(usage.output_tokens_details) ? usage.output_tokens_details : {};
  const prompt = count(usage.input_tokens);
  const completion = count(usage.output_tokens);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: count(usage.total_tokens) || prompt + completion,
    prompt_tokens_details: { cached_tokens: count(input.cached_tokens), cache_write_tokens: count(input.cache_write_tokens) },
    completion_tokens_details: { reasoning_tokens: count(output.reasoning_tokens) },
  };
}

/** How a response ended, as a chat finish reason. */
function finishOf(response: Json): Exclude<FinishReason, null> {
  if (response.status === "incomplete") {
    const reason = isRecord(response.incomplete_details) ? response.incomplete_details.reason : undefined;
    return reason === "content_filter" ? "content_filter" : "length";
  }
  const output = Array.isArray(response.output) ? response.output : [];
  return output.some((item) => isRecord(item) && item.type === "function_call") ? "tool_calls" : "stop";
}

function readResponse(json: unknown): NativeReading {
  if (!isRecord(json)) throw new Error("the answer is not a response object");
  return {
    usage: usageOfResponse(json.usage),
    model: typeof json.model === "string" ? json.model : undefined,
    finishReasons: json.status === "failed" ? [] : [finishOf(json)],
  };
}

function parse(event: StreamEvent): Json | undefined {
  try {
    const data = JSON.parse(event.data) as unknown;
    return isRecord(data) ? data : undefined;
  } catch {
    return undefined;
  }
}

interface ReadState {
  id: string;
  model: string;
}

const chunkOf = (state: ReadState, choices: ChatCompletionChunk["choices"], usage?: Usage): ChatCompletionChunk => ({
  id: state.id, object: "chat.completion.chunk", created: 0, model: state.model, choices, ...(usage ? { usage } : {}),
});

/** Reads the event stream for usage, model and the finish; each text delta counts as a chunk (the estimate's unit). */
const responsesStreamReader: StreamTranslator<ReadState> = {
  start: (ctx: ProviderContext) => ({ id: "", model: ctx.model }),
  translate(event, state) {
    const data = parse(event);
    if (!data) return [];
    const type = data.type ?? event.event;
    if (type === "response.created" && isRecord(data.response)) {
      if (typeof data.response.id === "string") state.id = data.response.id;
      if (typeof data.response.model === "string") state.model = data.response.model;
      return [];
    }
    if (type === "response.output_text.delta" && typeof data.delta === "string") {
      return [chunkOf(state, [{ index: 0, delta: { content: data.delta }, finish_reason: null }])];
    }
    if (typeof type === "string" && FINAL_EVENTS.has(type) && isRecord(data.response)) {
      const response = data.response;
      if (typeof response.model === "string") state.model = response.model;
      const out: ChatCompletionChunk[] = [];
      if (type !== "response.failed") out.push(chunkOf(state, [{ index: 0, delta: {}, finish_reason: finishOf(response) }]));
      const usage = usageOfResponse(response.usage);
      if (usage) out.push(chunkOf(state, [], usage));
      return out;
    }
    return [];
  },
  finish: () => [],
};

/** The native endpoint, building its request with the adapter's own JSON request (URL, auth and extra headers). */
export function openAIResponsesEndpoint(jsonRequest: (path: string, body: Json, ctx: ProviderContext) => UpstreamRequest): NativeEndpoint {
  return {
    toUpstream: (body, ctx) => jsonRequest("/responses", body, ctx),
    read: readResponse,
    stream: responsesStreamReader,
    isLast: (event) => {
      if (event.event !== undefined) return FINAL_EVENTS.has(event.event);
      const type = parse(event)?.type;
      return typeof type === "string" && FINAL_EVENTS.has(type);
    },
  };
}
