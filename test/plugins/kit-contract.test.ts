// The kit's provider contract, run in process on the example Tiny LLM plugin against its mock, and on the built-in
// OpenAI adapter against the OpenAI mock: the cases authors run pass for adapters keyway's own suite passes.
import { runProviderContract } from "../../src/plugin-kit/testing.ts";
import tinyllm from "../../plugins/tinyllm-provider.ts";
import { builtInAdapters } from "../../src/providers/builtin.ts";
import type { ProviderAdapter } from "../../src/plugins/sdk.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { MockTinyLLM } from "../fixtures/mock-tinyllm.ts";

const TINY_KEY = "tiny-0123456789abcdefXYZ";
const OPENAI_KEY = "sk-proj-kitcontract000000000000000001";

runProviderContract({ adapter: tinyllm, key: TINY_KEY, model: "tiny-1", mock: () => new MockTinyLLM([TINY_KEY]).start(), skip: { tools: "Tiny LLM has no tool calling" } });

runProviderContract({
  adapter: builtInAdapters.get("openai") as ProviderAdapter,
  key: OPENAI_KEY,
  model: "gpt-4o",
  mock: () => new MockOpenAI({ keys: [OPENAI_KEY] }).start(),
});
