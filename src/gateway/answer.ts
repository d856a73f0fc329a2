// Turns a successful upstream response into the client's answer, encoded by the call's dialect: JSON, a relayed
// stream, or raw bytes; and settles usage and cost once the answer is complete.
import type { ClientDialect } from "../core/dialect.ts";
import { GatewayError } from "../core/errors.ts";
import type { ChatRequest, EndpointName, JsonEndpoint, NativeEndpoint, Usage } from "../plugins/sdk.ts";
import { redactSecrets } from "../telemetry/redact.ts";
import { costMicros } from "../usage/prices.ts";
import { endAttemptSpan } from "./attempt-span.ts";
import { answerHeaders } from "./response-headers.ts";
import type { Execution } from "./execute.ts";
import { estimateTokens } from "../limits/estimate.ts";
import { type RelayMode, relayStream, type StreamOutcome } from "./stream-relay.ts";
import { answerTranscription } from "./transcription-answer.ts";

export interface Settlement {
  status: number;
  /** The answer's body, for team request logs (non-stream answers). */
  body?: unknown;
  /** The upstream reported no usage: the tokens are keyway's estimate. */
  usageEstimated?: boolean;
  usage?: Usage;
  responseModel?: string;
  /** The upstream's id of its answer (gen_ai.response.id). */
  responseId?: string;
  finishReasons?: string[];
  /** Streams: the chunks relayed. */
  chunks?: number;
  error?: string;
}

export interface AnswerInput {
  endpoint: EndpointName;
  /** The client's dialect: encodes the JSON answer and the stream. */
  dialect: ClientDialect;
  execution: Execution;
  body: Record<string, unknown>;
  /** keyway's headers for this answer (this answer's own object: the answer adds its content type to it). */
  headers: Record<string, string>;
  includeUsage: boolean;
  /** End a stream whose running cost passes what admission left it (`budgets.stream_cutoff`). */
  streamCutoff: boolean;
  /** Called once, when the answer is complete (or abandoned); resolves to the charged cost in micro-USD. */
  settle(settlement: Settlement): Promise<number>;
}

function tokensOf(usage: Usage | undefined): { input: number; output: number } {
  return { input: usage?.prompt_tokens ?? 0, output: usage?.completion_tokens ?? 0 };
}

/** Closes the answering attempt's span (attempt-span.ts) with what the answer said. */
export function recordUsageOnSpan(execution: Execution, s: Settlement): void {
  const { span } = execution.attempt;
  if (!span.isRecording()) return span.end();
  const firstChunkSeconds = execution.firstChunkAt === undefined ? undefined : (execution.firstChunkAt - execution.sentAt) / 1000;
  endAttemptSpan(span, { ...s, firstChunkSeconds });
}

function finishReasonsOf(choices: readonly { finish_reason?: unknown }[]): string[] {
  const reasons: string[] = [];
  for (const choice of choices) if (typeof choice?.finish_reason === "string" && choice.finish_reason !== "") reasons.push(choice.finish_reason);
  return reasons;
}

const stringId = (value: unknown): string | undefined => {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id : undefined;
};

export function estimatedMicros(execution: Execution, usage: Usage | undefined): number {
  const { input, output } = tokensOf(usage);
  return costMicros(execution.attempt.candidate.price, input, output);
}

/** An answer keyway cannot use: the attempt's span is closed, what admission held is given back, and the error made. */
async function unusableAnswer(execution: Execution, spanError: string, message: string): Promise<GatewayError> {
  recordUsageOnSpan(execution, { status: 502, error: spanError });
  await execution.attempt.admission?.release();
  return new GatewayError("upstream_error", `${execution.attempt.provider.name} ${message}`);
}

async function answerJson(input: AnswerInput, endpoint: JsonEndpoint<never, unknown>): Promise<Response> {
  const { execution } = input;
  let json: unknown;
  try {
    json = await execution.response.json();
  } catch {
    throw await unusableAnswer(execution, "invalid JSON", "answered with a body that is not JSON.");
  }
  let result: Record<string, unknown>;
  try {
    result = endpoint.fromUpstream(json, execution.attempt.ctx, input.body as never) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw await unusableAnswer(execution, "untranslatable answer", `answered in a shape keyway could not translate: ${reason}`);
  }
  const usage = result.usage as Usage | undefined;
  const finishReasons = Array.isArray(result.choices) ? finishReasonsOf(result.choices as { finish_reason?: unknown }[]) : undefined;
  const charged = await input.settle({ status: 200, usage, responseModel: result.model as string | undefined, responseId: stringId(result), finishReasons, body: result });
  const { candidate } = execution.attempt;
  const answer = input.dialect.encodeAnswer(result, { chargedMicros: charged, byok: candidate.keySource !== "platform", provider: candidate.provider, model: candidate.model });
  return new Response(JSON.stringify(answer), { headers: answerHeaders(input, "application/json") });
}

/** A native answer goes back as the upstream wrote it; keyway only reads its usage (the key redacted if quoted). */
async function answerNativeJson(input: AnswerInput, native: NativeEndpoint): Promise<Response> {
  const { execution } = input;
  const text = await execution.response.text();
  let json: unknown;
  let reading: ReturnType<NativeEndpoint["read"]>;
  try {
    json = JSON.parse(text);
    reading = native.read(json);
  } catch {
    throw await unusableAnswer(execution, "invalid JSON", "answered with a body that is not JSON.");
  }
  await input.settle({ status: 200, usage: reading.usage, responseModel: reading.model, responseId: stringId(json), finishReasons: reading.finishReasons, body: json });
  const { apiKey } = execution.attempt.ctx;
  const body = text.includes(apiKey) ? redactSecrets(text, [apiKey]) : text;
  return new Response(body, { headers: answerHeaders(input, "application/json") });
}

/**
 * The cut-off check of a stream: its running usage (the upstream's when reported, else the prompt estimate and one
 * token a relayed chunk) against what admission left the call. Undefined when no limit applies.
 */
function runningCostCheck(input: AnswerInput): ((outcome: StreamOutcome) => GatewayError | undefined) | undefined {
  const overLimit = input.execution.attempt.admission?.overLimit;
  if (!overLimit) return undefined;
  let prompt: number | undefined;
  return (outcome) => {
    const inputTokens = outcome.usage?.prompt_tokens ?? (prompt ??= estimateTokens(input.body));
    return overLimit(inputTokens, outcome.usage?.completion_tokens ?? outcome.chunks);
  };
}

function answerStream(input: AnswerInput, mode: RelayMode): Response {
  const { execution } = input;
  const source = execution.prefetched ?? { reader: (execution.response.body as ReadableStream<Uint8Array>).getReader() };
  const stream = relayStream(source, mode, {
    ctx: execution.attempt.ctx,
    dialect: input.dialect,
    request: input.body as unknown as ChatRequest,
    includeUsage: input.includeUsage,
    abort: execution.attempt.abort,
    cutoff: input.streamCutoff ? runningCostCheck(input) : undefined,
    onDone: (outcome) => {
      // A stream cut short (client gone, upstream failed) may carry no usage, yet the provider charges for what it
      // generated: estimate it (prompt size, one token a chunk) and mark it estimated.
      const estimated = outcome.usage === undefined;
      const prompt = estimated ? estimateTokens(input.body) : 0;
      return input.settle({
        status: outcome.cutOff?.status ?? (outcome.error ? 502 : outcome.clientGone ? 499 : 200),
        usage: outcome.usage ?? { prompt_tokens: prompt, completion_tokens: outcome.chunks, total_tokens: prompt + outcome.chunks },
        usageEstimated: estimated,
        responseModel: outcome.model,
        responseId: outcome.id,
        finishReasons: outcome.finishReasons,
        chunks: outcome.chunks,
        error: outcome.error,
      }).then(() => {});
    },
  });
  const headers = answerHeaders(input, "text/event-stream; charset=utf-8");
  headers["cache-control"] = "no-cache";
  headers.connection = "keep-alive";
  return new Response(stream, { headers });
}

async function answerBytes(input: AnswerInput): Promise<Response> {
  const upstream = input.execution.response;
  await input.settle({ status: 200 });
  return new Response(upstream.body, {
    headers: answerHeaders(input, upstream.headers.get("content-type") ?? "application/octet-stream"),
  });
}

export function answer(input: AnswerInput): Response | Promise<Response> {
  if (input.endpoint === "speech") return answerBytes(input);
  if (input.endpoint === "transcriptions") return answerTranscription(input, unusableAnswer);
  const { native } = input.execution.attempt;
  if (native) return input.body.stream === true ? answerStream(input, { native }) : answerNativeJson(input, native);
  const endpoint = input.execution.attempt.provider.adapter.endpoints[input.endpoint] as JsonEndpoint<never, unknown>;
  if (input.body.stream === true && endpoint.stream) return answerStream(input, endpoint.stream);
  return answerJson(input, endpoint);
}
