// The one way to call a provider and learn what a failure means: the request goes out through upstreamFetch, a
// failed answer is mapped by the adapter's mapError (else the default), a fetch that threw by failureFromThrown,
// and the call's own key is redacted from every message. Used by the executor and the key check alike.
import type { ConfiguredProvider } from "../core/provider-set.ts";
import type { UpstreamRequest } from "../plugins/sdk.ts";
import { redactSecrets } from "../telemetry/redact.ts";
import { failureFromStatus, failureFromThrown, type ThrownFailure } from "./failure.ts";
import { type Transport, upstreamFetch } from "./upstream-fetch.ts";

export interface UpstreamCall {
  provider: ConfiguredProvider;
  request: UpstreamRequest<string | FormData>;
  /** The key the request carries: never in a failure's message. */
  apiKey: string;
  /** The method when the request names none. */
  defaultMethod: "GET" | "POST";
  signal: AbortSignal;
  transport?: Transport;
}

/**
 * `ok`: the answer, body unread. Otherwise the failure in keyway's kinds; `response` is the failed answer
 * (status and headers; body already read) when one came, absent when the fetch threw (unreachable, timed out,
 * aborted, a redirect, or a header keyway would not send).
 */
export type UpstreamOutcome = { ok: true; response: Response } | { ok: false; failure: ThrownFailure; response?: Response };

export async function callUpstream(call: UpstreamCall): Promise<UpstreamOutcome> {
  const { provider, request, apiKey } = call;
  let response: Response;
  try {
    response = await upstreamFetch(
      request.url,
      { method: request.method ?? call.defaultMethod, headers: request.headers, body: request.body, signal: call.signal },
      call.transport,
    );
  } catch (error) {
    return { ok: false, failure: failureFromThrown(error, provider.host, [apiKey]) };
  }
  if (response.ok) return { ok: true, response };
  const text = await response.text().catch(() => "");
  const failure = (provider.adapter.mapError ?? failureFromStatus)(response.status, text, response.headers);
  return { ok: false, failure: { ...failure, message: redactSecrets(failure.message, [apiKey]) }, response };
}
