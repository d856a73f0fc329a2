// GET /v1/models: what this caller may use, as provider/model ids (catalogue entries and model groups).
import { Elysia } from "elysia";
import { authenticate } from "../authenticate.ts";
import { type AppDeps, requestIdOf } from "../context.ts";
import { asGatewayError, errorResponse } from "../error-response.ts";

interface ModelView {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
}

export function listModels(deps: AppDeps): ModelView[] {
  const created = 0;
  const models: ModelView[] = [];
  for (const provider of deps.providers.all()) {
    for (const entry of provider.settings.models ?? []) {
      models.push({ id: `${provider.name}/${entry.id}`, object: "model", created, owned_by: provider.name });
    }
  }
  for (const group of Object.keys(deps.config.model_groups)) {
    models.push({ id: group, object: "model", created, owned_by: "keyway" });
  }
  return models;
}

export function modelRoutes(deps: AppDeps) {
  return new Elysia({ name: "models" }).get("/v1/models", async ({ request, server }) => {
    try {
      await authenticate(deps.authenticator, request, server?.requestIP(request)?.address);
      return new Response(JSON.stringify({ object: "list", data: listModels(deps) }), {
        headers: { "content-type": "application/json" },
      });
    } catch (error) {
      return errorResponse(asGatewayError(error, deps.logger), { "x-request-id": requestIdOf(request) });
    }
  });
}
