// IndoxRouter's API under /api/v1/, for its Python client (`indoxhub`) pointed at keyway: the token exchange, the
// inference endpoints (each an IndoxRouter client dialect over keyway's pipeline: routing, governance, usage), the
// model catalogue and the caller's usage. Errors are IndoxRouter's `{"detail": ...}` with keyway's status.
import { Elysia } from "elysia";
import type { InferenceCall } from "../../core/call.ts";
import type { ClientDialect } from "../../core/dialect.ts";
import { indoxChat, indoxCompletions, indoxEmbeddings, indoxImages, indoxSpeech } from "../../dialects/indoxrouter/dialect.ts";
import { speechAnswer } from "../../dialects/indoxrouter/speech-answer.ts";
import type { AppDeps } from "../context.ts";
import { type DataPlaneRoute, dataPlaneServeRoutes, inferenceHandler, type ServeRoutes } from "./inference.ts";
import { indoxAuthRoutes } from "./indoxrouter-auth.ts";
import { providerInfos, providerOrModel } from "./indoxrouter-models.ts";
import { indoxJson } from "./indoxrouter-reply.ts";
import { userUsage } from "./indoxrouter-usage.ts";

const ROUTES: [string, ClientDialect][] = [
  ["/api/v1/chat/completions", indoxChat],
  ["/api/v1/completions", indoxCompletions],
  ["/api/v1/embeddings", indoxEmbeddings],
  ["/api/v1/images/generations", indoxImages],
  ["/api/v1/audio/tts/generations", indoxSpeech],
];

/** The model a call names, without the answering provider's prefix. */
function modelName(model: unknown, provider: string | null): string | null {
  if (typeof model !== "string") return null;
  return provider !== null && model.startsWith(`${provider}/`) ? model.slice(provider.length + 1) : model;
}

/** keyway's audio answer as IndoxRouter's JSON (the audio as a data: URL), keyway's headers kept. */
async function speechAsJson(response: Response, model: unknown): Promise<Response> {
  const headers = new Headers(response.headers);
  const provider = headers.get("x-provider-used");
  const audio = new Uint8Array(await response.arrayBuffer());
  const body = speechAnswer({
    audio,
    contentType: headers.get("content-type") ?? "application/octet-stream",
    provider,
    model: modelName(model, provider),
    byok: headers.get("x-byok-used") === "true",
  });
  headers.delete("content-length");
  headers.set("content-type", "application/json");
  return new Response(JSON.stringify(body), { status: response.status, headers });
}

/** The inference routes, the speech route answering IndoxRouter's JSON. */
const DATA_PLANE: DataPlaneRoute[] = ROUTES.map(([path, dialect]) => ({
  path,
  dialect,
  answered: dialect === indoxSpeech ? (response: Response, call: InferenceCall) => speechAsJson(response, call.body.model) : undefined,
}));

/** The inference routes as `Bun.serve` route handlers, ahead of Elysia (no Host check: Elysia makes none under /api/). */
export function indoxRouterServeRoutes(deps: AppDeps): ServeRoutes {
  return dataPlaneServeRoutes(deps, DATA_PLANE, false);
}

export function indoxRouterRoutes(deps: AppDeps) {
  const app = new Elysia({ name: "indoxrouter" }).use(indoxAuthRoutes(deps));
  for (const { path, dialect, answered } of DATA_PLANE) app.post(path, inferenceHandler(deps, path, dialect, answered));
  return app
    .get("/api/v1/models", indoxJson(deps, (principal) => providerInfos(deps, principal)))
    .get("/api/v1/models/*", indoxJson(deps, (principal, { request }) => providerOrModel(deps, principal, request)))
    .get("/api/v1/user/usage", indoxJson(deps, (principal, { request }) => userUsage(deps, principal, new URL(request.url).searchParams)));
}
