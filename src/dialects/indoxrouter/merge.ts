// IndoxRouter's request envelope: the client's `additional_params` merged into the body (never forwarded as a
// field), with a check error that names a merged field by where the client wrote it (`additional_params.top_p`).
import { GatewayError, invalidRequest } from "../../core/errors.ts";

type Body = Record<string, unknown>;

const isObject = (value: unknown): value is Body => typeof value === "object" && value !== null && !Array.isArray(value);

/** The wire body as an object, or invalid_request (the client always sends a JSON object). */
export function wireObject(body: unknown): Body {
  if (!isObject(body)) throw invalidRequest("The request body must be a JSON object.");
  return body;
}

/**
 * The body with `additional_params` merged in: a field the client set at the top level (not null) wins over the same
 * field in `additional_params`; top-level nulls are fields left out. Returns the merged body and the names that
 * came from `additional_params`.
 */
export function mergeAdditionalParams(wire: Body): { body: Body; merged: Set<string> } {
  const extra = wire.additional_params;
  if (extra !== undefined && extra !== null && !isObject(extra)) {
    throw invalidRequest("'additional_params' must be an object of further request fields.", "additional_params");
  }
  const body: Body = {};
  const merged = new Set<string>();
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (value === null || value === undefined) continue;
    body[key] = value;
    merged.add(key);
  }
  for (const [key, value] of Object.entries(wire)) {
    if (key === "additional_params" || value === null || value === undefined) continue;
    body[key] = value;
    merged.delete(key);
  }
  return { body, merged };
}

/** Runs `check`; an invalid_request naming a merged field names it under `additional_params.` instead. */
export function namingMerged<T>(merged: ReadonlySet<string>, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof GatewayError) || error.code !== "invalid_request" || error.param === null) throw error;
    const field = error.param.split(/[.[]/)[0] ?? "";
    if (!merged.has(field)) throw error;
    const param = `additional_params.${error.param}`;
    const message = error.message.replace(`'${error.param}'`, `'${param}'`);
    throw new GatewayError("invalid_request", message, { param });
  }
}
