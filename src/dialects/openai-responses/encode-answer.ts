// The internal chat answer as a Responses `response` object: the first choice's text as a message item with one
// output_text part (a refusal as a refusal part), each tool call a function_call item, the finish reason as the
// status, usage in Responses' names; keyway's additions as on chat answers (`usage.cost` in USD, `byok_api_key`).
import type { AnswerMeta } from "../../core/dialect.ts";
import type { ChatCompletion } from "../../plugins/sdk.ts";
import { microsToUsd } from "../../usage/money.ts";
import { functionCallItem, newFunctionCallId, newMessageId, newResponseId, outputTextPart, type ResponseItem, responseObject, responsesUsage, statusFor } from "./response-object.ts";

function outputOf(choice: ChatCompletion["choices"][number] | undefined): ResponseItem[] {
  if (!choice) return [];
  const output: ResponseItem[] = [];
  const { content, refusal, tool_calls: calls } = choice.message as ChatCompletion["choices"][number]["message"] & { refusal?: unknown };
  const parts: Record<string, unknown>[] = [];
  if (typeof content === "string" && content !== "") parts.push(outputTextPart(content));
  if (typeof refusal === "string" && refusal !== "") parts.push({ type: "refusal", refusal });
  if (parts.length > 0) output.push({ id: newMessageId(), type: "message", status: "completed", role: "assistant", content: parts });
  for (const call of calls ?? []) output.push(functionCallItem(newFunctionCallId(), call.id, call.function.name, call.function.arguments, "completed"));
  return output;
}

export function encodeResponsesAnswer(result: Record<string, unknown>, meta: AnswerMeta): Record<string, unknown> {
  const completion = result as unknown as ChatCompletion;
  const choice = completion.choices?.[0];
  const { status, incomplete_details } = statusFor(choice?.finish_reason);
  const usage = completion.usage ? { ...responsesUsage(completion.usage), cost: microsToUsd(meta.chargedMicros) } : null;
  const created = typeof completion.created === "number" ? completion.created : Math.floor(Date.now() / 1000);
  const response = responseObject({ id: newResponseId(), createdAt: created, model: String(completion.model ?? ""), status, incompleteDetails: incomplete_details, output: outputOf(choice), usage });
  return { ...response, byok_api_key: meta.byok };
}
