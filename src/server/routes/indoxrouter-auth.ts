// IndoxRouter's token exchange: the client trades its key for a bearer token before its first call and after any
// 401. keyway serves the keyway key itself as the token once it has checked it, so the token never outlives the
// key (revoking or expiring the key ends it too) and no other credential is minted.
//   POST /api/v1/auth/api-key  with X-API-Key (or Authorization: Bearer), any body
//   POST /api/v1/auth/token    a form post: `password` is the keyway key (`username` is not read)
import { Elysia } from "elysia";
import { GatewayError, invalidRequest } from "../../core/errors.ts";
import { authenticate, presentedKey } from "../authenticate.ts";
import type { AppDeps } from "../context.ts";
import { clientIpOf, indoxReply, type RouteContext } from "./indoxrouter-reply.ts";

const tokenAnswer = (key: string) =>
  new Response(JSON.stringify({ access_token: key, token_type: "bearer" }), { headers: { "content-type": "application/json", "cache-control": "no-store" } });

/** The `password` field of an OAuth2 password form (urlencoded or multipart), within the body size limit. */
async function formPassword(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) throw new GatewayError("request_too_large", `The request body is larger than this gateway accepts (${maxBytes} bytes).`);
  const type = request.headers.get("content-type") ?? "";
  const text = await request.text();
  if (text.length > maxBytes) throw new GatewayError("request_too_large", `The request body is larger than this gateway accepts (${maxBytes} bytes).`);
  let password: unknown;
  if (type.startsWith("application/x-www-form-urlencoded")) {
    password = new URLSearchParams(text).get("password");
  } else if (type.startsWith("multipart/form-data")) {
    password = await new Response(text, { headers: { "content-type": type } })
      .formData()
      .then((form) => form.get("password"))
      .catch(() => undefined);
  }
  if (typeof password !== "string" || password.trim() === "") {
    throw invalidRequest("Send a form (application/x-www-form-urlencoded) whose 'password' is the keyway key.", "password");
  }
  return password.trim();
}

export function indoxAuthRoutes(deps: AppDeps) {
  return new Elysia({ name: "indoxrouter-auth" })
    // Handlers destructure their context, so Elysia leaves the body unread.
    .post("/api/v1/auth/api-key", ({ request, server }: RouteContext) =>
      indoxReply(deps, request, async () => {
        await authenticate(deps.authenticator, request, clientIpOf({ request, server }));
        // authenticate() accepted the key presented, so it is the one handed back.
        return tokenAnswer(presentedKey(request) ?? "");
      }),
    )
    .post("/api/v1/auth/token", ({ request, server }: RouteContext) =>
      indoxReply(deps, request, async () => {
        const key = await formPassword(request, deps.config.server.max_body_bytes);
        await authenticate(deps.authenticator, new Request(request.url, { headers: { "x-api-key": key } }), clientIpOf({ request, server }));
        return tokenAnswer(key);
      }),
    );
}
