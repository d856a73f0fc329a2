// One inference call as the route hands it to the pipeline: endpoint, checked body, caller, request facts.
import type { EndpointName } from "../plugins/sdk.ts";
import type { Principal } from "./principal.ts";

export interface InferenceCall {
  endpoint: EndpointName;
  body: Record<string, unknown>;
  principal: Principal;
  requestId: string;
  headers: Headers;
  signal: AbortSignal;
  startedAt: number;
  clientIp?: string;
}
