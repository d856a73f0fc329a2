// Any server that speaks the OpenAI API (vLLM, Ollama, LM Studio, llama.cpp, ...): no key format, no prefixes.
// Its telemetry provider name is the configured provider name (an empty otelName says so).
import { openAICompatibleProvider } from "./openai-base.ts";

export default openAICompatibleProvider({ name: "openai-compatible", otelName: "" });
