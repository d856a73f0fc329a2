// Stage "read": splits keyway's own fields (byok_api_key, provider, routing) from what goes upstream and refuses a
// per-request key where the gateway takes none. Authentication and the body's schema were checked by the server.
import type { ResolvedConfig } from "../../config/validate.ts";
import { GatewayError } from "../../core/errors.ts";
import { splitKeywayFields } from "../request-fields.ts";
import type { CallContext, ReadContext } from "./context.ts";

export interface ReadDeps {
  config: Pick<ResolvedConfig, "security">;
}

export function readCall(ctx: CallContext, deps: ReadDeps): ReadContext {
  const { fields, upstream } = splitKeywayFields(ctx.call.body, ctx.call.headers.get("x-byok-api-key"));
  const read = ctx as ReadContext;
  read.fields = fields;
  read.upstream = upstream;
  read.requestKey = fields.requestKey;
  // The client's own body, for a provider that speaks its format, loses keyway's fields the same way.
  const { native } = ctx.call;
  if (native) native.body = splitKeywayFields(native.body, null).upstream;
  if (fields.requestKey !== undefined && !deps.config.security.allow_per_request_keys) {
    throw new GatewayError("invalid_request", "This gateway does not accept per-request provider keys.", { param: "byok_api_key" });
  }
  return read;
}
