// Which OpenAI-format adapters serve /v1/audio/transcriptions and the multipart request they build: the upload as a
// file part with its name, lists as repeated `name[]` fields, the upstream model, no content type of keyway's own.
import { describe, expect, test } from "bun:test";
import { providerShapeProblems } from "../../src/plugins/plugin-shape.ts";
import type { ProviderContext } from "../../src/plugins/sdk.ts";
import mistral from "../../src/providers/mistral.ts";
import { openAICompatibleProvider } from "../../src/providers/openai-base.ts";
import openai from "../../src/providers/openai.ts";
import openaiCompatible from "../../src/providers/openai-compatible.ts";
import perplexity from "../../src/providers/perplexity.ts";
import { cataloguePrice } from "../../src/usage/price-catalogue.ts";

const ctx: ProviderContext = { provider: "p", model: "whisper-1", baseUrl: "https://example.test/v1", apiKey: "sk-test-0000000000", stream: false, options: {} };
const file = new File([new Uint8Array([1, 2, 3])], "clip.wav", { type: "audio/wav" });

describe("transcriptions on OpenAI-format adapters", () => {
  test("OpenAI builds a multipart request: file part, list fields as name[], numbers as text, the upstream model", async () => {
    const request = openai.endpoints.transcriptions?.toUpstream(
      { model: "openai/whisper-1", file, language: "de", temperature: 0.4, timestamp_granularities: ["word", "segment"], "chunking_strategy[type]": "server_vad" },
      ctx,
    );
    expect(request?.url).toBe("https://example.test/v1/audio/transcriptions");
    expect(request?.headers).toEqual({ authorization: "Bearer sk-test-0000000000" });
    const form = request?.body as FormData;
    expect(form).toBeInstanceOf(FormData);
    expect(form.get("model")).toBe("whisper-1");
    expect(form.get("language")).toBe("de");
    expect(form.get("temperature")).toBe("0.4");
    expect(form.getAll("timestamp_granularities[]")).toEqual(["word", "segment"]);
    expect(form.get("chunking_strategy[type]")).toBe("server_vad");
    const sent = form.get("file") as File;
    expect(sent.name).toBe("clip.wav");
    expect([...new Uint8Array(await sent.arrayBuffer())]).toEqual([1, 2, 3]);
    // fetch writes the multipart content type with its boundary
    const encoded = new Request("https://example.test", { method: "POST", body: form });
    expect(encoded.headers.get("content-type")).toStartWith("multipart/form-data; boundary=");
  });

  test("the generic openai-compatible adapter serves it; Mistral and Perplexity do not; a plugin naming it is accepted", () => {
    expect(openaiCompatible.endpoints.transcriptions).toBeDefined();
    expect(mistral.endpoints.transcriptions).toBeUndefined();
    expect(perplexity.endpoints.transcriptions).toBeUndefined();
    const declared = openAICompatibleProvider({ name: "whisper-host", endpoints: ["transcriptions"] });
    expect(Object.keys(declared.endpoints)).toEqual(["transcriptions"]);
    expect(providerShapeProblems(declared)).toEqual([]);
    // the default set of an OpenAI-compatible plugin is unchanged
    expect(openAICompatibleProvider({ name: "plain" }).endpoints.transcriptions).toBeUndefined();
  });

  test("a plugin's transcription endpoint needs toUpstream (and no fromUpstream)", () => {
    expect(providerShapeProblems({ name: "x", otelName: "x", endpoints: { transcriptions: { toUpstream: () => ({}) } } })).toEqual([]);
    expect(providerShapeProblems({ name: "x", otelName: "x", endpoints: { transcriptions: {} } }).join("\n")).toContain("'endpoints.transcriptions.toUpstream' must be a function");
  });

  test("prices: gpt-4o(-mini)-transcribe per token at the audio input rate; whisper-1 per second of audio as input units", () => {
    expect(cataloguePrice(openai, "gpt-4o-transcribe")).toMatchObject({ input_per_mtok: 6, output_per_mtok: 10 });
    expect(cataloguePrice(openai, "gpt-4o-mini-transcribe")).toMatchObject({ input_per_mtok: 3, output_per_mtok: 5 });
    // $0.006 a minute = $0.0001 a second = $100 a million seconds
    expect(cataloguePrice(openai, "whisper-1")).toMatchObject({ input_per_mtok: 100, output_per_mtok: 0 });
  });
});
