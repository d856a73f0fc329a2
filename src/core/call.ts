// One inference call as the route hands it to the pipeline: endpoint, checked body, the client's dialect, caller,
// request facts.
import type { EndpointName } from "../plugins/sdk.ts";
import type { ClientDialect, NativeRequest } from "./dialect.ts";
import type { Principal } from "./principal.ts";

/** The caller's address, read (from the socket) only when something asks for it. */
export interface ClientAddress {
  readonly address: string | undefined;
}

export interface InferenceCall {
  endpoint: EndpointName;
  body: Record<string, unknown>;
  /** The client's wire format: answers, stream chunks and errors are encoded back in it. */
  dialect: ClientDialect;
  /** The client's own request, for a provider that speaks the dialect's format natively. */
  native?: NativeRequest;
  /** The call costs nothing: no admission, charge, usage row or request metrics (see `DecodedCall.unmetered`). */
  unmetered?: boolean;
  principal: Principal;
  requestId: string;
  headers: Headers;
  signal: AbortSignal;
  startedAt: number;
  /** Where the caller's address is read (absent for a call handed over in-process). */
  peer?: ClientAddress;
}
