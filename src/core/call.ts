// One inference call as the route hands it to the pipeline: endpoint, checked body, the client's dialect, caller,
// request facts.
import type { EndpointName } from "../plugins/sdk.ts";
import type { ClientDialect } from "./dialect.ts";
import type { Principal } from "./principal.ts";

export interface InferenceCall {
  endpoint: EndpointName;
  body: Record<string, unknown>;
  /** The client's wire format: answers, stream chunks and errors are encoded back in it. */
  dialect: ClientDialect;
  principal: Principal;
  requestId: string;
  headers: Headers;
  signal: AbortSignal;
  startedAt: number;
  clientIp?: string;
}
