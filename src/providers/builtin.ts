// The adapters that ship inside keyway, by adapter name.
import type { ProviderAdapter } from "../plugins/sdk.ts";
import openai from "./openai.ts";
import openaiCompatible from "./openai-compatible.ts";

export const builtInAdapters: ReadonlyMap<string, ProviderAdapter> = new Map(
  [openai, openaiCompatible].map((adapter) => [adapter.name, adapter]),
);
