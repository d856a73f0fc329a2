// images(prompt, model?, options): POST /v1/images/generations, with a pixel `size` or an `aspectRatio` (keyway
// turns a ratio into the nearest size for OpenAI models and passes it to Imagen), as URLs or base64 data.
import { type ResponseMeta, metaFrom } from "./meta.ts";
import { type InferenceOptions, type Usage, callSettings, inferenceBody, inferenceHeaders, invalidArgument, optionalModel, requireText, usageFrom } from "./options.ts";
import type { Transport } from "./transport.ts";
import type { WireImages } from "./wire.ts";

interface ImageOptionsBase extends InferenceOptions {
  /** How many images (1 to 10). */
  n?: number;
  /** `standard` / `hd` (DALL-E 3), `low` / `medium` / `high` (gpt-image-1). */
  quality?: string;
  /** `vivid` / `natural` (DALL-E 3). */
  style?: string;
  /** `url` or `b64_json`, where the model lets you choose. */
  responseFormat?: "url" | "b64_json";
}

/** Either a pixel size (`1024x1024`) or an aspect ratio (`16:9`), not both. */
export type ImagesOptions = ImageOptionsBase & ({ size?: string; aspectRatio?: never } | { aspectRatio?: string; size?: never });

export interface GeneratedImage {
  url: string | null;
  /** The image itself, base64-encoded, when the provider answers with data instead of a URL. */
  b64Json: string | null;
  revisedPrompt: string | null;
}

export interface ImagesResult extends ResponseMeta {
  images: GeneratedImage[];
  usage: Usage | null;
  raw: WireImages;
}

export async function images(transport: Transport, prompt: string, model: string | undefined, options: ImagesOptions = {}): Promise<ImagesResult> {
  if (options.size !== undefined && options.aspectRatio !== undefined) throw invalidArgument("Give either 'size' or 'aspectRatio', not both.", "aspectRatio");
  const body = inferenceBody(
    {
      model: optionalModel(model),
      prompt: requireText(prompt, "prompt"),
      n: options.n,
      size: options.size,
      aspect_ratio: options.aspectRatio,
      quality: options.quality,
      style: options.style,
      response_format: options.responseFormat,
    },
    options,
  );
  const { body: raw, response } = await transport.json<WireImages>({ method: "POST", path: "/v1/images/generations", body, headers: inferenceHeaders(options), ...callSettings(options) });
  const usage = usageFrom(raw.usage);
  const generated = (raw.data ?? []).map((image) => ({ url: image.url ?? null, b64Json: image.b64_json ?? null, revisedPrompt: image.revised_prompt ?? null }));
  return { ...metaFrom(response, usage?.costUsd ?? null), images: generated, usage, raw };
}
