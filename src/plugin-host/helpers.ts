// Helpers offered to plugins next to the contract: stream chunk builders, the OpenAI-compatible adapter factory,
// upstream failure mapping, and candidate grouping for strategies. They are built-in code, lent to plugins.
export { bySourceOrder, flattenGroups, groupByTarget, payingKeys, type TargetGroup } from "../routing/candidate-groups.ts";
export { failureFromStatus, parseRetryAfter } from "../providers/failure.ts";
export { deltaChunk, usageChunk } from "../providers/stream-chunks.ts";
export { openAICompatibleProvider } from "../providers/openai-base.ts";
