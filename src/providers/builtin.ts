// The adapters that ship inside keyway, by adapter name (in this order: it orders each default model group).
import type { ProviderAdapter } from "../plugins/sdk.ts";
import anthropic from "./anthropic/index.ts";
import cohere from "./cohere/index.ts";
import google from "./google/index.ts";
import mistral from "./mistral.ts";
import openai from "./openai.ts";
import openaiCompatible from "./openai-compatible.ts";
import perplexity from "./perplexity.ts";

export const builtInAdapters: ReadonlyMap<string, ProviderAdapter> = new Map(
  [openai, openaiCompatible, anthropic, google, mistral, cohere, perplexity].map((adapter) => [adapter.name, adapter]),
);
