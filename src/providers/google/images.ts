// OpenAI image generation <-> Imagen `:predict`: size or aspect_ratio to one of Imagen's aspect ratios,
// n to sampleCount, predictions' base64 bytes back as b64_json.
import { invalidRequest } from "../../core/errors.ts";
import type { ImageRequest, JsonEndpoint, ProviderContext, UpstreamRequest } from "../../plugins/sdk.ts";
import { googleHeaders, isRecord, modelMethodUrl } from "./wire.ts";

export const IMAGEN_ASPECT_RATIOS = ["1:1", "3:4", "4:3", "9:16", "16:9"] as const;

const TRANSLATED = new Set(["model", "prompt", "n", "size", "aspect_ratio", "response_format", "output_format", "output_compression"]);
/** OpenAI image parameters Imagen has no counterpart for. */
const UNSUPPORTED = new Set(["quality", "style", "user", "background", "moderation", "partial_images", "stream"]);

const ratioValue = (ratio: string) => {
  const [w, h] = ratio.split(":").map(Number);
  return (w ?? 1) / (h ?? 1);
};

/** The supported aspect ratio closest to a `WxH` size (compared on a log scale, so 2:1 and 1:2 are equally far from 1:1). */
export function aspectRatioForSize(size: string): string {
  const match = /^(\d+)x(\d+)$/.exec(size);
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  if (!match || width <= 0 || height <= 0) throw invalidRequest(`size '${size}' is not WIDTHxHEIGHT (for example 1024x1024).`, "size");
  const wanted = Math.log(width / height);
  let best: string = IMAGEN_ASPECT_RATIOS[0];
  for (const ratio of IMAGEN_ASPECT_RATIOS) {
    if (Math.abs(Math.log(ratioValue(ratio)) - wanted) < Math.abs(Math.log(ratioValue(best)) - wanted)) best = ratio;
  }
  return best;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** An aspect ratio Imagen supports, in lowest terms (32:18 is 16:9); anything else is the client's error. */
export function supportedAspectRatio(value: string): string {
  const match = /^(\d+):(\d+)$/.exec(value.trim());
  const w = Number(match?.[1]);
  const h = Number(match?.[2]);
  const divisor = match && w > 0 && h > 0 ? gcd(w, h) : 0;
  const reduced = divisor > 0 ? `${w / divisor}:${h / divisor}` : value;
  if ((IMAGEN_ASPECT_RATIOS as readonly string[]).includes(reduced)) return reduced;
  throw invalidRequest(`aspect_ratio '${value}' is not supported by Imagen; use one of ${IMAGEN_ASPECT_RATIOS.join(", ")}.`, "aspect_ratio");
}

const OUTPUT_MIME: Record<string, string> = { png: "image/png", jpeg: "image/jpeg", jpg: "image/jpeg" };

function outputOptions(body: ImageRequest, dropped: string[]): Record<string, unknown> | undefined {
  const options: Record<string, unknown> = {};
  if (typeof body.output_format === "string") {
    const mimeType = OUTPUT_MIME[body.output_format];
    if (mimeType) options.mimeType = mimeType;
    else dropped.push("output_format");
  }
  if (typeof body.output_compression === "number") options.compressionQuality = body.output_compression;
  return Object.keys(options).length > 0 ? options : undefined;
}

export function imagenRequest(body: ImageRequest, ctx: ProviderContext): UpstreamRequest {
  const dropped: string[] = [];
  // Imagen's own parameters (personGeneration, safetySetting, ...) ride along in `parameters`.
  const parameters: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (TRANSLATED.has(key) || value === undefined) continue;
    if (UNSUPPORTED.has(key)) dropped.push(key);
    else parameters[key] = value;
  }
  parameters.sampleCount = body.n ?? 1;
  if (typeof body.aspect_ratio === "string") {
    parameters.aspectRatio = supportedAspectRatio(body.aspect_ratio);
    if (typeof body.size === "string") dropped.push("size"); // aspect_ratio said it more exactly
  } else if (typeof body.size === "string") {
    parameters.aspectRatio = aspectRatioForSize(body.size);
  }
  // Imagen answers with image bytes; it has no URLs to give.
  if (body.response_format === "url") dropped.push("response_format");
  const output = outputOptions(body, dropped);
  if (output) parameters.outputOptions = output;
  return {
    url: modelMethodUrl(ctx, "predict"),
    method: "POST",
    headers: googleHeaders(ctx),
    body: JSON.stringify({ instances: [{ prompt: body.prompt }], parameters }),
    dropped: dropped.length > 0 ? dropped : undefined,
  };
}

export function toOpenAIImages(json: unknown) {
  const predictions = isRecord(json) && Array.isArray(json.predictions) ? json.predictions.filter(isRecord) : [];
  const images = predictions.flatMap((p) => (typeof p.bytesBase64Encoded === "string" ? [{ b64_json: p.bytesBase64Encoded }] : []));
  if (images.length === 0) {
    const reasons = predictions.flatMap((p) => (typeof p.raiFilteredReason === "string" ? [p.raiFilteredReason] : []));
    throw new Error(reasons.length > 0 ? `Imagen filtered every image: ${reasons.join("; ")}` : "Imagen returned no image (its safety filters may have removed them all)");
  }
  return { created: Math.floor(Date.now() / 1000), data: images };
}

export const imagenImages: JsonEndpoint<ImageRequest, unknown> = {
  toUpstream: imagenRequest,
  fromUpstream: (json) => toOpenAIImages(json),
};
