// GET /v1/models: what this caller may use, as provider/model ids (config catalogue, the built-in price
// catalogue, model groups), within the caller's team permissions; GET /v1/models/{id}: one of them (the official
// clients' models.retrieve, which URL-encodes the slash of provider/model; an unencoded slash works too).
import { GatewayError } from "../../core/errors.ts";
import type { Principal } from "../../core/principal.ts";
import { teamAllows } from "../../teams/policy.ts";
import { authenticate } from "../authenticate.ts";
import type { AppDeps } from "../context.ts";
import { caught, hostRequired, type NativeRoutes } from "../native-route.ts";

interface ModelView {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
}

export async function listModels(deps: AppDeps, principal: Principal): Promise<ModelView[]> {
  const team = principal.teamId !== null ? await deps.governance.directory.team(principal.teamId) : undefined;
  const allowed = (provider: string, model: string) => teamAllows(team?.permissions, provider, model);
  const seen = new Set<string>();
  const models: ModelView[] = [];
  const add = (id: string, owner: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    models.push({ id, object: "model", created: 0, owned_by: owner });
  };
  for (const provider of deps.providers.all()) {
    const ids = [...(provider.settings.models ?? []).map((m) => m.id), ...Object.keys(provider.adapter.prices ?? {})];
    for (const id of ids) if (allowed(provider.name, id)) add(`${provider.name}/${id}`, provider.name);
  }
  for (const [group, members] of Object.entries(deps.config.model_groups)) {
    if (Object.entries(members).some(([provider, model]) => deps.providers.get(provider) && allowed(provider, model))) add(group, "keyway");
  }
  return models;
}

/** The id after /v1/models/, decoded once (provider%2Fmodel and provider/model alike). */
function modelIdOf(request: Request): string {
  const raw = new URL(request.url).pathname.slice("/v1/models/".length);
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new GatewayError("invalid_request", "The model id in the path is not valid URL encoding.", { param: "model" });
  }
}

export function modelRoutes(deps: AppDeps): NativeRoutes {
  /** A GET for an authenticated caller, answered with `body`'s JSON; any refusal in the OpenAI error shape. */
  const answer = (body: (principal: Principal, request: Request) => Promise<unknown>) =>
    hostRequired(
      caught(deps, async (request, server) => {
        const principal = await authenticate(deps.authenticator, request, server?.requestIP(request)?.address);
        return new Response(JSON.stringify(await body(principal, request)), { headers: { "content-type": "application/json" } });
      }),
    );
  return {
    "/v1/models": { GET: answer(async (principal) => ({ object: "list", data: await listModels(deps, principal) })) },
    "/v1/models/*": {
      GET: answer(async (principal, request) => {
        const id = modelIdOf(request);
        const found = (await listModels(deps, principal)).find((model) => model.id === id);
        if (!found) throw new GatewayError("model_not_found", `The model '${id}' does not exist or is not available to this key.`, { param: "model" });
        return found;
      }),
    },
  };
}
