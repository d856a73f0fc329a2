// Any server that speaks the OpenAI API (vLLM, Ollama, LM Studio, llama.cpp, Groq, OpenRouter ...): no key format
// to tell, no prefixes. Its telemetry provider name is the configured provider name (an empty otelName says so).
// The keys such hosts hand out (sk-..., Groq's gsk_...) are redacted wherever they appear.
import { openAICompatibleProvider } from "./openai-base.ts";

export default openAICompatibleProvider({
  name: "openai-compatible",
  otelName: "",
  // what such servers commonly offer; transcriptions for the Whisper servers (vLLM, LocalAI, Groq, whisper.cpp ...)
  endpoints: ["chat", "completions", "embeddings", "images", "speech", "transcriptions"],
  keyPatterns: [/\bsk-[A-Za-z0-9_*-]{6,}/g, /\bgsk_[A-Za-z0-9]{10,}/g],
});
