// The call context that flows through the pipeline's stages. One object per call, filled in stage by stage; each
// stage's type says what the stages before it have set, so a stage cannot read what is not there yet.
import type { Span } from "@opentelemetry/api";
import type { InferenceCall } from "../../core/call.ts";
import type { CallKeys } from "../../core/key-source.ts";
import type { Candidate } from "../../plugins/sdk.ts";
import type { CallPolicy } from "../../teams/policy.ts";
import type { Execution } from "../execute.ts";
import type { KeywayFields } from "../request-fields.ts";
import type { PlannedRouting } from "../routing-request.ts";

/** What every call has from its start; what is set later is optional here, as a failure may come at any stage. */
export interface CallContext {
  call: InferenceCall;
  /** The call's server span, ended when the call is settled or has failed. */
  server: Span;
  /** The caller's own provider key for this call, redacted from whatever leaves keyway. */
  requestKey?: string;
  /** The body as sent upstream (keyway's fields removed). */
  upstream?: Record<string, unknown>;
  policy?: CallPolicy;
}

/** After readCall: keyway's own fields split from the upstream body. */
export interface ReadContext extends CallContext {
  fields: KeywayFields;
  upstream: Record<string, unknown>;
}

/** After applyPolicy: the team's rules for this call. */
export interface PolicedContext extends ReadContext {
  policy: CallPolicy;
}

/** After planCandidates: the keys the call may use, its routing and the strategy's ordered candidates. */
export interface PlannedContext extends PolicedContext {
  keys: CallKeys;
  routing: PlannedRouting;
  plan: readonly Candidate[];
}

/** After admitAndExecute: the answering attempt (admitted) and its upstream response. */
export interface ExecutedContext extends PlannedContext {
  execution: Execution;
}
