// IndoxRouter's inference endpoints under /api/v1/, each an IndoxRouter client dialect over keyway's pipeline
// (routing, governance, usage), answered by Bun's router (native-routes.ts); its other routes are in indoxrouter.ts.
import type { InferenceCall } from "../../core/call.ts";
import type { ClientDialect } from "../../core/dialect.ts";
import { indoxChat, indoxCompletions, indoxEmbeddings, indoxImages, indoxSpeech } from "../../dialects/indoxrouter/dialect.ts";
import { speechAnswer } from "../../dialects/indoxrouter/speech-answer.ts";
import type { AppDeps } from "../context.ts";
import type { NativeRoutes } from "../native-route.ts";
import { type DataPlaneRoute, dataPlaneServeRoutes } from "./inference.ts";

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
const INDOXROUTER_DATA_PLANE: DataPlaneRoute[] = ROUTES.map(([path, dialect]) => ({
  path,
  dialect,
  answered: dialect === indoxSpeech ? (response: Response, call: InferenceCall) => speechAsJson(response, call.body.model) : undefined,
}));

/** The inference routes for Bun's router (no Host check: the control plane makes none under /api/ either). */
export function indoxRouterServeRoutes(deps: AppDeps): NativeRoutes {
  return dataPlaneServeRoutes(deps, INDOXROUTER_DATA_PLANE, false);
}
