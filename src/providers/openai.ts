// OpenAI itself: the reference wire format.
import { openAICompatibleProvider } from "./openai-base.ts";
import { openaiKnowledge } from "./openai-knowledge.ts";

export default openAICompatibleProvider({
  ...openaiKnowledge,
  name: "openai",
  otelName: "openai",
  // sk-..., sk-proj-..., sk-svcacct-...; not Anthropic's sk-ant-
  keyPattern: /^sk-(?!ant-)[A-Za-z0-9_-]{8,}/,
  modelPrefixes: ["gpt-", "o1", "o3", "o4", "chatgpt-", "text-embedding-3", "text-embedding-ada", "dall-e", "tts-", "whisper-", "davinci", "babbage", "omni-moderation", "text-moderation"],
  defaultBaseUrl: "https://api.openai.com/v1",
  endpoints: ["chat", "completions", "embeddings", "images", "speech", "moderations", "transcriptions"],
  responsesApi: true,
  headers: (ctx): Record<string, string> => {
    const organization = ctx.options.organization_id;
    return typeof organization === "string" ? { "openai-organization": organization } : {};
  },
});
