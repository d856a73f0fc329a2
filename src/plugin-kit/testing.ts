// `@keyway/plugin/testing`: what a plugin author tests an adapter with, as keyway tests its own: the provider contract
// suite (bun:test) and a minimal mock upstream.
export { runProviderContract, type ProviderContractOptions } from "./provider-contract.ts";
export { mockUpstream, streamFrames, type MockUpstreamOptions, type StreamFramesOptions } from "./mock-upstream.ts";
export type { ContractFailure, ContractMock, RecordedCall } from "./contract-cases.ts";
export { CONTRACT_PROMPT, LONG_PROMPT, RETRY_AFTER, WEATHER_ARGUMENTS, WEATHER_QUESTION, WEATHER_RESULT, WEATHER_TOOL } from "./contract-cases.ts";
