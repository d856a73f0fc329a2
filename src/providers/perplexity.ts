// Perplexity (api.perplexity.ai, no /v1): OpenAI-shaped chat only, answers grounded in web search.
// Function tools pass through to the models that take them (sonar-pro, sonar-reasoning-pro; a provider's
// `options.tools: true|false` overrides); the others refuse tools ("Tool calling is not supported for this
// model"), so for them tools are dropped and named.
// Its streams differ from OpenAI's: chunks say object "chat.completion", repeat usage and citations, and the
// stream may end without `data: [DONE]`; a small translator evens that out. `citations`, `search_results` and
// other Perplexity fields pass through untouched, in answers and in chunks.
import type { ChatCompletionChunk, ProviderContext, StreamTranslator, Usage } from "../plugins/sdk.ts";
import { type OpenAICompatibleOptions, openAICompatibleProvider } from "./openai-base.ts";
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

/** The models whose chat API takes function tools. */
const TOOL_MODELS = ["sonar-pro", "sonar-reasoning-pro"];

/** Whether this call's model takes tools: the provider's `options.tools` when set, else the list above. */
export function perplexityTakesTools(ctx: Pick<ProviderContext, "model" | "options">): boolean {
  if (typeof ctx.options.tools === "boolean") return ctx.options.tools;
  return TOOL_MODELS.some((model) => ctx.model === model || ctx.model.startsWith(`${model}-`));
}

const TOOL_PARAMS = ["tools", "tool_choice", "parallel_tool_calls"];

const options: OpenAICompatibleOptions = {
  ...perplexityKnowledge,
  name: "perplexity",
  otelName: "perplexity",
  keyPattern: /^pplx-/,
  modelPrefixes: ["sonar"],
  defaultBaseUrl: "https://api.perplexity.ai",
  endpoints: ["chat"],
  unsupportedParams: [
    ...TOOL_PARAMS, "functions", "function_call", "logit_bias", "seed", "user",
    "service_tier", "store", "metadata", "modalities", "audio", "prediction",
  ],
  streamOptions: false,
};

const perplexity = openAICompatibleProvider(options);
const withTools = openAICompatibleProvider({ ...options, unsupportedParams: options.unsupportedParams?.filter((param) => !TOOL_PARAMS.includes(param)) });

if (perplexity.endpoints.chat && withTools.endpoints.chat) {
  const { toUpstream: toolless } = perplexity.endpoints.chat;
  const { toUpstream: tooled } = withTools.endpoints.chat;
  perplexity.endpoints.chat.toUpstream = (body, ctx) => (perplexityTakesTools(ctx) ? tooled(body, ctx) : toolless(body, ctx));
  perplexity.endpoints.chat.stream = perplexityStream;
}
// Perplexity has no /models; listing the caller's async jobs is authenticated and costs nothing.
perplexity.checkKey = (ctx) => ({
  url: `${ctx.baseUrl}/async/chat/completions`,
  method: "GET",
  headers: { authorization: `Bearer ${ctx.apiKey}` },
});

export default perplexity;
