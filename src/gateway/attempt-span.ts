// The CLIENT span of one upstream attempt, after the OTel GenAI conventions: opened with the request's attributes
// (model, sampling parameters, stream), closed with the answer's (response id and model, finish reasons, token
// usage with cache and reasoning tokens, time to first chunk). Attributes are only built when the span records.
import { type Context, type Span, SpanKind, SpanStatusCode, type Tracer } from "@opentelemetry/api";
import type { ConfiguredProvider } from "../core/provider-set.ts";
import type { Candidate, EndpointName, Usage } from "../plugins/sdk.ts";
import { ATTR, OPERATION } from "../telemetry/attributes.ts";
import { withPreviousNames } from "../telemetry/semconv.ts";
import { QUIET_SPAN } from "../telemetry/tracing.ts";
import { tokenDetails } from "../usage/token-details.ts";

export interface AttemptSpanInput {
  /** Undefined for a quiet call: its attempts share QUIET_SPAN. */
  trace: { tracer: Tracer; parent: Context } | undefined;
  endpoint: EndpointName;
  provider: ConfiguredProvider;
  candidate: Candidate;
  /** The model as sent upstream. */
  model: string;
  /** The body as sent upstream (a stored key's defaults applied). */
  body: Record<string, unknown>;
  stream: boolean;
  number: number;
  /** Why the attempt before this one failed. */
  fallbackReason?: string;
}

const finite = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

/** gen_ai.request.* of the body: the sampling parameters a client set (max_completion_tokens counts as max_tokens). */
function requestParameters(body: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (finite(maxTokens)) out[ATTR.maxTokens] = maxTokens;
  if (finite(body.temperature)) out[ATTR.temperature] = body.temperature;
  if (finite(body.top_p)) out[ATTR.topP] = body.top_p;
  if (finite(body.seed)) out[ATTR.seed] = body.seed;
  return out;
}

export function startAttemptSpan(input: AttemptSpanInput): Span {
  if (!input.trace) return QUIET_SPAN;
  const operation = OPERATION[input.endpoint];
  const span = input.trace.tracer.startSpan(`${operation} ${input.model}`, { kind: SpanKind.CLIENT }, input.trace.parent);
  if (!span.isRecording()) return span;
  const { provider, candidate } = input;
  span.setAttributes(
    withPreviousNames({
      [ATTR.providerName]: provider.otelName,
      [ATTR.operationName]: operation,
      [ATTR.requestModel]: input.model,
      [ATTR.serverAddress]: provider.host,
      [ATTR.serverPort]: provider.port,
      [ATTR.stream]: input.stream,
      ...requestParameters(input.body),
      [ATTR.providerUsed]: provider.name,
      [ATTR.byok]: candidate.keySource !== "platform",
      [ATTR.keySource]: candidate.keySource,
      [ATTR.attempt]: input.number,
      ...(input.fallbackReason ? { [ATTR.fallbackReason]: input.fallbackReason } : {}),
    }),
  );
  return span;
}

export interface AttemptAnswer {
  usage?: Usage;
  responseModel?: string;
  responseId?: string;
  finishReasons?: string[];
  /** Set when the answer failed (an unusable body, a stream that broke). */
  error?: string;
  firstChunkSeconds?: number;
}

/** Closes the answering attempt's span with what its answer said. */
export function endAttemptSpan(span: Span, answer: AttemptAnswer): void {
  if (span.isRecording()) {
    const { usage } = answer;
    if (usage) {
      const details = tokenDetails(usage);
      span.setAttribute(ATTR.inputTokens, usage.prompt_tokens ?? 0);
      span.setAttribute(ATTR.outputTokens, usage.completion_tokens ?? 0);
      if (details.cacheReadTokens > 0) span.setAttribute(ATTR.cacheReadTokens, details.cacheReadTokens);
      if (details.cacheWriteTokens > 0) span.setAttribute(ATTR.cacheCreationTokens, details.cacheWriteTokens);
      if (details.reasoningTokens > 0) span.setAttribute(ATTR.reasoningTokens, details.reasoningTokens);
    }
    if (answer.responseModel) span.setAttribute(ATTR.responseModel, answer.responseModel);
    if (answer.responseId) span.setAttribute(ATTR.responseId, answer.responseId);
    if (answer.finishReasons && answer.finishReasons.length > 0) span.setAttribute(ATTR.finishReasons, answer.finishReasons);
    if (answer.firstChunkSeconds !== undefined) span.setAttribute(ATTR.timeToFirstChunk, answer.firstChunkSeconds);
    if (answer.error) {
      span.setAttribute(ATTR.errorType, "stream_error");
      span.setStatus({ code: SpanStatusCode.ERROR, message: "stream failed" });
    }
  }
  span.end();
}
