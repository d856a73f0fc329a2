// The answer of a transcription: JSON (json, verbose_json) with keyway's additions and the usage it reports, or
// text (text, srt, vtt) passed through with the upstream content type. Usage: token counts as they come
// (gpt-4o-transcribe); a duration (whisper: `usage.seconds`, or verbose_json's `duration`) as whole seconds of audio
// counted as input units, which the model's input price, per million seconds, turns into its per-minute cost.
// Text answers report nothing and are recorded at zero.
import type { GatewayError } from "../core/errors.ts";
import type { Usage } from "../plugins/sdk.ts";
import type { AnswerInput } from "./answer.ts";
import type { Execution } from "./execute.ts";
import { answerHeaders } from "./response-headers.ts";

/** How answer.ts turns an answer keyway cannot use into an error (span closed, admission released). */
export type Unusable = (execution: Execution, spanError: string, message: string) => Promise<GatewayError>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const count = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined);

function fromSeconds(seconds: number): Usage {
  const units = Math.ceil(seconds);
  return { prompt_tokens: units, completion_tokens: 0, total_tokens: units };
}

/** The usage a transcription answer reports, in keyway's terms; undefined when it reports none. */
export function transcriptionUsage(answer: Record<string, unknown>): Usage | undefined {
  const { usage } = answer;
  if (isRecord(usage) && usage.type === "tokens") {
    const input = count(usage.input_tokens) ?? 0;
    const output = count(usage.output_tokens) ?? 0;
    return { prompt_tokens: input, completion_tokens: output, total_tokens: count(usage.total_tokens) ?? input + output };
  }
  const seconds = isRecord(usage) && usage.type === "duration" ? count(usage.seconds) : count(answer.duration);
  return seconds === undefined ? undefined : fromSeconds(seconds);
}

export async function answerTranscription(input: AnswerInput, unusable: Unusable): Promise<Response> {
  const { execution } = input;
  const upstream = execution.response;
  const type = upstream.headers.get("content-type") ?? "";
  if (!/json/i.test(type)) {
    const text = await upstream.text();
    await input.settle({ status: 200, body: text });
    return new Response(text, { headers: answerHeaders(input, type || "text/plain; charset=utf-8") });
  }
  let json: unknown;
  try {
    json = await upstream.json();
  } catch {
    throw await unusable(execution, "invalid JSON", "answered with a body that is not JSON.");
  }
  if (!isRecord(json)) throw await unusable(execution, "untranslatable answer", "answered with JSON that is not a transcription.");
  const charged = await input.settle({ status: 200, usage: transcriptionUsage(json), body: json });
  const { candidate } = execution.attempt;
  const answer = input.dialect.encodeAnswer(json, { chargedMicros: charged, byok: candidate.keySource !== "platform", provider: candidate.provider, model: candidate.model });
  return new Response(JSON.stringify(answer), { headers: answerHeaders(input, "application/json") });
}
