// Splits a client's body into keyway's own fields (never forwarded) and what goes upstream.
import { invalidRequest } from "../core/errors.ts";
import { headerValueProblem } from "../providers/upstream-fetch.ts";

export interface RoutingField {
  strategy?: string;
  provider_order?: string[];
  fallback_reasons?: string[];
  use_byok_only?: boolean;
  fallback_to_platform?: boolean;
  cost_weights?: Record<string, number>;
  weights?: Record<string, number>;
}

export interface KeywayFields {
  requestKey?: string;
  provider?: string;
  routing?: RoutingField;
}

/** A per-request key must travel in an HTTP header: one that cannot is bad input, refused before anything is sent. */
function checkedRequestKey(key: string): string {
  const problem = headerValueProblem(key);
  if (problem) throw invalidRequest(`The provider key in 'byok_api_key' (or X-BYOK-API-Key) is not a usable key: ${problem}.`, "byok_api_key");
  return key;
}

/** keyway's own fields of a body: never forwarded. */
const KEYWAY_FIELDS: ReadonlySet<string> = new Set(["byok_api_key", "provider", "routing"]);

/**
 * The body's own fields but keyway's, in their order (a loop: a rest spread costs several times as much in
 * JavaScriptCore). A `__proto__` field, which JSON.parse makes an own property, stays one.
 */
export function withoutKeywayFields(body: Record<string, unknown>): Record<string, unknown> {
  const upstream: Record<string, unknown> = {};
  for (const key of Object.keys(body)) {
    if (KEYWAY_FIELDS.has(key)) continue;
    if (key === "__proto__") Object.defineProperty(upstream, key, { value: body[key], enumerable: true, writable: true, configurable: true });
    else upstream[key] = body[key];
  }
  return upstream;
}

/** The upstream body is a shallow copy without keyway's fields; the client's object is left as it was. */
export function splitKeywayFields(
  body: Record<string, unknown>,
  headerKey: string | null,
): { fields: KeywayFields; upstream: Record<string, unknown> } {
  const { byok_api_key, provider, routing } = body;
  const upstream = withoutKeywayFields(body);
  const fields: KeywayFields = {};
  const requestKey = typeof byok_api_key === "string" && byok_api_key !== "" ? byok_api_key : headerKey?.trim() || undefined;
  if (requestKey !== undefined) fields.requestKey = checkedRequestKey(requestKey);
  if (typeof provider === "string" && provider !== "") fields.provider = provider;
  if (routing !== undefined && routing !== null) {
    if (typeof routing !== "object" || Array.isArray(routing)) throw invalidRequest("'routing' must be an object", "routing");
    fields.routing = routing as RoutingField;
  }
  return { fields, upstream };
}
