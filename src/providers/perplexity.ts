// Perplexity (api.perplexity.ai, no /v1): OpenAI-shaped chat only, answers grounded in web search.
// Its chat API refuses tools ("Tool calling is not supported for this model"), so tools are dropped and named.
// Its streams differ from OpenAI's: chunks say object "chat.completion", repeat usage and citations, and the
// stream may end without `data: [DONE]`; a small translator evens that out. `citations`, `search_results` and
// other Perplexity fields pass through untouched, in answers and in chunks.
import type { ChatCompletionChunk, StreamTranslator, Usage } from "../plugins/sdk.ts";
import { openAICompatibleProvider } from "./openai-base.ts";
import { perplexityKnowledge } from "./perplexity-knowledge.ts";
import { usageChunk } from "./stream-chunks.ts";

interface PerplexityStreamState {
  id: string;
  model: string;
  created: number;
  usage?: Usage;
  finished: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const hasFinish = (choices: unknown[]): boolean =>
  choices.some((choice) => isRecord(choice) && typeof choice.finish_reason === "string");

export const perplexityStream: StreamTranslator<PerplexityStreamState> = {
  framing: "sse",
  start: (ctx) => ({ id: "", model: ctx.model, created: Math.floor(Date.now() / 1000), finished: false }),
  translate(event, state) {
    const data = event.data.trim();
    if (data === "" || data === "[DONE]") return [];
    const parsed: unknown = JSON.parse(data);
    if (!isRecord(parsed)) return [];
    if (isRecord(parsed.error)) throw new Error(typeof parsed.error.message === "string" ? parsed.error.message : "stream error");
    const { usage, ...rest } = parsed;
    // usage is cumulative on every chunk: keep the latest, report it once, after the last content chunk
    if (isRecord(usage) && typeof usage.prompt_tokens === "number") state.usage = usage as Usage;
    const choices = Array.isArray(rest.choices) ? rest.choices : [];
    if (hasFinish(choices)) state.finished = true;
    if (typeof rest.id === "string") state.id = rest.id;
    if (typeof rest.model === "string") state.model = rest.model;
    if (typeof rest.created === "number") state.created = rest.created;
    const chunk: ChatCompletionChunk = {
      ...rest,
      id: state.id,
      object: "chat.completion.chunk",
      created: state.created,
      model: state.model,
      choices: choices as ChatCompletionChunk["choices"],
    };
    return [chunk];
  },
  finish(state) {
    if (!state.finished) throw new Error("the stream ended before a finish_reason");
    if (!state.usage) return [];
    return [usageChunk(state, state.usage)];
  },
};

const perplexity = openAICompatibleProvider({
  ...perplexityKnowledge,
  name: "perplexity",
  otelName: "perplexity",
  keyPattern: /^pplx-/,
  modelPrefixes: ["sonar"],
  defaultBaseUrl: "https://api.perplexity.ai",
  endpoints: ["chat"],
  unsupportedParams: [
    "tools", "tool_choice", "parallel_tool_calls", "functions", "function_call", "logit_bias", "seed", "user",
    "service_tier", "store", "metadata", "modalities", "audio", "prediction",
  ],
  streamOptions: false,
});

if (perplexity.endpoints.chat) perplexity.endpoints.chat.stream = perplexityStream;
// Perplexity has no /models; listing the caller's async jobs is authenticated and costs nothing.
perplexity.checkKey = (ctx) => ({
  url: `${ctx.baseUrl}/async/chat/completions`,
  method: "GET",
  headers: { authorization: `Bearer ${ctx.apiKey}` },
});

export default perplexity;
