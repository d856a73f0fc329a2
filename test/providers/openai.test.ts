import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { providerContract } from "./contract.ts";

providerContract({
  provider: "openai",
  adapter: "openai",
  key: "sk-proj-contract000000000000000001",
  chatModel: "gpt-4o",
  startMock: () => new MockOpenAI().start(),
});

providerContract({
  provider: "local",
  adapter: "openai-compatible",
  key: "sk-local-anything-goes-0001",
  chatModel: "llama-3.1-8b",
  startMock: () => new MockOpenAI().start(),
  // A self-hosted server's models are the ones its config lists.
  settings: { models: [{ id: "llama-3.1-8b" }] },
});
