// Unit tests: OpenAI image requests -> Imagen predict, sizes and aspect ratios both ways, predictions back.
import { describe, expect, test } from "bun:test";
import { GatewayError } from "../../../src/core/errors.ts";
import type { ImageRequest, ProviderContext } from "../../../src/plugins/sdk.ts";
import { aspectRatioForSize, imagenRequest, supportedAspectRatio, toOpenAIImages } from "../../../src/providers/google/images.ts";

const ctx: ProviderContext = {
  provider: "google",
  model: "imagen-3.0-generate-002",
  baseUrl: "https://generativelanguage.googleapis.com",
  apiKey: "AIzaSyTest",
  stream: false,
  options: {},
};

const sent = (request: Partial<ImageRequest>) => {
  const upstream = imagenRequest({ model: "imagen-3.0-generate-002", prompt: "a cat", ...request }, ctx);
  return { body: JSON.parse(upstream.body ?? "{}") as { instances: unknown; parameters: Record<string, unknown> }, upstream };
};

describe("size -> aspect ratio", () => {
  test("OpenAI's sizes map to the nearest Imagen ratio", () => {
    expect(aspectRatioForSize("1024x1024")).toBe("1:1");
    expect(aspectRatioForSize("1792x1024")).toBe("16:9");
    expect(aspectRatioForSize("1024x1792")).toBe("9:16");
    expect(aspectRatioForSize("1536x1024")).toBe("4:3");
    expect(aspectRatioForSize("1024x1536")).toBe("3:4");
    expect(aspectRatioForSize("512x512")).toBe("1:1");
    expect(aspectRatioForSize("3000x1000")).toBe("16:9");
  });

  test("a size that is not WxH is invalid_request on size", () => {
    expect(() => aspectRatioForSize("0x100")).toThrow(GatewayError);
    expect(() => aspectRatioForSize("big")).toThrow(/WIDTHxHEIGHT/);
  });
});

describe("aspect_ratio", () => {
  test("supported ratios pass, also in other terms", () => {
    for (const ratio of ["1:1", "3:4", "4:3", "9:16", "16:9"]) expect(supportedAspectRatio(ratio)).toBe(ratio);
    expect(supportedAspectRatio("32:18")).toBe("16:9");
  });

  test("an unsupported ratio is a 400 invalid_request on aspect_ratio naming the supported ones", () => {
    try {
      supportedAspectRatio("21:9");
      throw new Error("expected a refusal");
    } catch (error) {
      expect(error).toBeInstanceOf(GatewayError);
      const refusal = error as GatewayError;
      expect(refusal.status).toBe(400);
      expect(refusal.code).toBe("invalid_request");
      expect(refusal.param).toBe("aspect_ratio");
      expect(refusal.message).toContain("1:1, 3:4, 4:3, 9:16, 16:9");
    }
  });
});

describe("imagen request", () => {
  test("prompt, n and aspect_ratio go to instances and parameters on :predict", () => {
    const { body, upstream } = sent({ n: 3, aspect_ratio: "4:3" });
    expect(upstream.url).toBe("https://generativelanguage.googleapis.com/v1beta/models/imagen-3.0-generate-002:predict");
    expect(upstream.headers["x-goog-api-key"]).toBe("AIzaSyTest");
    expect(body).toEqual({ instances: [{ prompt: "a cat" }], parameters: { sampleCount: 3, aspectRatio: "4:3" } });
    expect(upstream.dropped).toBeUndefined();
  });

  test("n defaults to one image, as OpenAI's does; size maps to an aspect ratio", () => {
    expect(sent({ size: "1792x1024" }).body.parameters).toEqual({ sampleCount: 1, aspectRatio: "16:9" });
  });

  test("aspect_ratio wins over size, which is reported dropped", () => {
    const { body, upstream } = sent({ size: "1024x1024", aspect_ratio: "9:16" });
    expect(body.parameters.aspectRatio).toBe("9:16");
    expect(upstream.dropped).toEqual(["size"]);
  });

  test("response_format url, quality and style cannot be honoured; output_format maps; Imagen's own parameters pass", () => {
    const { body, upstream } = sent({ response_format: "url", quality: "hd", style: "vivid", output_format: "jpeg", personGeneration: "dont_allow" });
    expect(upstream.dropped).toEqual(["quality", "style", "response_format"]);
    expect(body.parameters).toEqual({ personGeneration: "dont_allow", sampleCount: 1, outputOptions: { mimeType: "image/jpeg" } });
    expect(sent({ response_format: "b64_json" }).upstream.dropped).toBeUndefined();
  });
});

describe("imagen response", () => {
  test("predictions' bytes become b64_json images", () => {
    const answer = toOpenAIImages({ predictions: [{ mimeType: "image/png", bytesBase64Encoded: "AAA=" }, { mimeType: "image/png", bytesBase64Encoded: "BBB=" }] });
    expect(answer.data).toEqual([{ b64_json: "AAA=" }, { b64_json: "BBB=" }]);
    expect(answer.created).toBeGreaterThan(1_700_000_000);
  });

  test("filtered predictions are skipped; nothing left is an error with the reason", () => {
    expect(toOpenAIImages({ predictions: [{ raiFilteredReason: "person" }, { bytesBase64Encoded: "CCC=" }] }).data).toEqual([{ b64_json: "CCC=" }]);
    expect(() => toOpenAIImages({ predictions: [{ raiFilteredReason: "Blocked: person" }] })).toThrow(/Blocked: person/);
    expect(() => toOpenAIImages({})).toThrow(/no image/);
  });
});
