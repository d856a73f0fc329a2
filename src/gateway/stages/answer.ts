// Stage "answer": the client's answer from the attempt that succeeded (answer.ts: JSON, a relayed stream, or raw
// bytes), encoded by the call's dialect, with keyway's headers and admission's, settled (stage "settle") once it is
// complete.
import type { ResolvedConfig } from "../../config/validate.ts";
import { answer } from "../answer.ts";
import { gatewayHeaders } from "../response-headers.ts";
import type { ExecutedContext } from "./context.ts";
import { type SettleDeps, settleCall } from "./settle.ts";

export interface AnswerDeps extends SettleDeps {
  config: Pick<ResolvedConfig, "budgets">;
}

/** keyway's headers and admission's (rate-limit headroom) for the answer: one object, the answer's own. */
function answerHeadersOf(requestId: string, execution: ExecutedContext["execution"]): Record<string, string> {
  const { candidate, upstream, admission } = execution.attempt;
  const headers = gatewayHeaders(requestId, candidate, execution.attempts, upstream.dropped);
  return admission?.headers ? Object.assign(headers, admission.headers) : headers;
}

export function answerCall(ctx: ExecutedContext, deps: AnswerDeps): Response | Promise<Response> {
  const { call, execution } = ctx;
  const streamOptions = call.body.stream_options as { include_usage?: unknown } | undefined;
  return answer({
    endpoint: call.endpoint,
    dialect: call.dialect,
    execution,
    body: ctx.upstream,
    headers: answerHeadersOf(call.requestId, execution),
    includeUsage: streamOptions?.include_usage === true,
    streamCutoff: deps.config.budgets.stream_cutoff,
    settle: settleCall(ctx, deps),
  });
}
