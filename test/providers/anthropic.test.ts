import { MockAnthropic } from "../fixtures/mock-anthropic.ts";
import { providerContract } from "./contract.ts";

providerContract({
  provider: "anthropic",
  adapter: "anthropic",
  key: "sk-ant-api03-contract0000000000000001",
  chatModel: "claude-3-5-sonnet-20241022",
  startMock: () => new MockAnthropic().start(),
});
