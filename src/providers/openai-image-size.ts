// OpenAI image sizes <-> the seed's aspect ratios: each OpenAI image model takes a few fixed sizes.
import type { ProviderContext, UpstreamRequest } from "../plugins/sdk.ts";

/** The sizes each model family accepts, as [width, height]. */
function sizesFor(model: string): [number, number][] {
  if (model.startsWith("dall-e-2")) return [[1024, 1024], [512, 512], [256, 256]];
  if (model.startsWith("dall-e-3")) return [[1024, 1024], [1792, 1024], [1024, 1792]];
  return [[1024, 1024], [1536, 1024], [1024, 1536]]; // gpt-image-*
}

export function parseRatio(ratio: string): number | undefined {
  const match = /^(\d+):(\d+)$/.exec(ratio.trim());
  if (!match) return undefined;
  const [w, h] = [Number(match[1]), Number(match[2])];
  return w > 0 && h > 0 ? w / h : undefined;
}

/** The accepted size of `model` whose shape is nearest the ratio (compared on a log scale, so 2:1 and 1:2 are as far from 1:1). */
export function sizeForAspectRatio(model: string, ratio: string): string | undefined {
  const wanted = parseRatio(ratio);
  if (wanted === undefined) return undefined;
  let best: [number, number] | undefined;
  let distance = Number.POSITIVE_INFINITY;
  for (const size of sizesFor(model)) {
    const d = Math.abs(Math.log(size[0] / size[1]) - Math.log(wanted));
    if (d < distance) {
      distance = d;
      best = size;
    }
  }
  return best ? `${best[0]}x${best[1]}` : undefined;
}

/**
 * OpenAI rejects unknown fields, so `aspect_ratio` never goes upstream: it becomes `size` when no size is
 * given, and is reported as dropped when a size is.
 */
export function mapAspectRatio(body: Record<string, unknown>, ctx: ProviderContext): { body: Record<string, unknown>; dropped: string[] } {
  if (typeof body.aspect_ratio !== "string") return { body, dropped: [] };
  const { aspect_ratio: ratio, ...rest } = body;
  if (typeof rest.size === "string") return { body: rest, dropped: ["aspect_ratio"] };
  const size = sizeForAspectRatio(ctx.model, ratio as string);
  return size ? { body: { ...rest, size }, dropped: [] } : { body: rest, dropped: ["aspect_ratio"] };
}

export function withDropped(request: UpstreamRequest, dropped: string[]): UpstreamRequest {
  if (dropped.length === 0) return request;
  return { ...request, dropped: [...(request.dropped ?? []), ...dropped] };
}
