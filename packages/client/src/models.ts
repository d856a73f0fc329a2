// models() and model(id): GET /v1/models and GET /v1/models/{id}, what the key may use (provider/model ids and
// model groups).
import { type ResponseMeta, metaFrom } from "./meta.ts";
import { type RequestOptions, callSettings, requireText } from "./options.ts";
import type { Transport } from "./transport.ts";
import type { WireModel } from "./wire.ts";

export interface ModelInfo {
  /** `provider/model`, or a model group's name. */
  id: string;
  /** The provider (before the slash), or null for a model group. */
  provider: string | null;
  /** The model's name at its provider (after the slash), or the group's name. */
  name: string;
  /** The provider, or `keyway` for a model group. */
  ownedBy: string;
}

export interface ModelsResult extends ResponseMeta {
  models: ModelInfo[];
  raw: { object: "list"; data: WireModel[] };
}

export interface ModelResult extends ResponseMeta, ModelInfo {
  raw: WireModel;
}

function modelInfo(wire: WireModel): ModelInfo {
  const slash = wire.id.indexOf("/");
  return {
    id: wire.id,
    provider: slash === -1 ? null : wire.id.slice(0, slash),
    name: slash === -1 ? wire.id : wire.id.slice(slash + 1),
    ownedBy: wire.owned_by,
  };
}

export async function models(transport: Transport, options: RequestOptions = {}): Promise<ModelsResult> {
  const { body: raw, response } = await transport.json<ModelsResult["raw"]>({ method: "GET", path: "/v1/models", headers: { ...options.headers, "x-request-id": options.requestId }, ...callSettings(options) });
  return { ...metaFrom(response), models: (raw.data ?? []).map(modelInfo), raw };
}

export async function model(transport: Transport, id: string, options: RequestOptions = {}): Promise<ModelResult> {
  const path = `/v1/models/${encodeURIComponent(requireText(id, "id"))}`;
  const { body: raw, response } = await transport.json<WireModel>({ method: "GET", path, headers: { ...options.headers, "x-request-id": options.requestId }, ...callSettings(options) });
  return { ...metaFrom(response), ...modelInfo(raw), raw };
}
