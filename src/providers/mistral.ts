// Mistral AI (api.mistral.ai/v1): OpenAI-shaped chat and embeddings. Its FIM endpoint (/v1/fim/completions)
// is not OpenAI's completions shape, so completions are not offered; nor are images or speech.
// Mistral refuses unknown fields (422 extra_forbidden): OpenAI names it spells differently are renamed, the
// ones it lacks are dropped, and streams go without stream_options (the last chunk carries usage anyway).
import { mistralKnowledge } from "./mistral-knowledge.ts";
import { openAICompatibleProvider } from "./openai-base.ts";

export default openAICompatibleProvider({
  ...mistralKnowledge,
  name: "mistral",
  otelName: "mistral_ai",
  modelPrefixes: ["mistral-", "open-mistral", "open-mixtral", "codestral-", "pixtral-", "ministral-", "magistral-", "devstral-"],
  defaultBaseUrl: "https://api.mistral.ai/v1",
  endpoints: ["chat", "embeddings"],
  renamedParams: { seed: "random_seed", max_completion_tokens: "max_tokens", dimensions: "output_dimension" },
  unsupportedParams: [
    "user", "logit_bias", "logprobs", "top_logprobs", "service_tier", "store", "modalities", "audio",
    "functions", "function_call", "web_search_options",
  ],
  streamOptions: false,
});
