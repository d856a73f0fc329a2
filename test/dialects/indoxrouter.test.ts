// The IndoxRouter dialects against the dialect contract, with readers written as IndoxRouter's Python client reads
// the wire (`data`, `usage.tokens_*`, `detail`, stream chunks indexed at choices[0]), and the dialect's own cases.
import { describe, expect, test } from "bun:test";
import { GatewayError } from "../../src/core/errors.ts";
import { indoxChat, indoxCompletions, indoxEmbeddings, indoxImages, indoxSpeech } from "../../src/dialects/indoxrouter/dialect.ts";
import { speechAnswer } from "../../src/dialects/indoxrouter/speech-answer.ts";
import type { ChatCompletionChunk } from "../../src/plugins/sdk.ts";
import { dialectContract, type ReadError, type ReadStream } from "./dialect.contract.ts";

const ERROR_KEYS = ["detail", "message", "code", "param"];

/** An error as the client takes it: the message is the body's `detail` (a stream's error object has `message`). */
function readErrorObject(body: unknown, messageField: "detail" | "message"): ReadError {
  if (typeof body !== "object" || body === null) throw new Error(`not an IndoxRouter error: ${JSON.stringify(body)}`);
  const e = body as Record<string, unknown>;
  if (typeof e[messageField] !== "string" || typeof e.code !== "string") throw new Error(`not an IndoxRouter error: ${JSON.stringify(body)}`);
  const fields = Object.fromEntries(Object.entries(e).filter(([key]) => !ERROR_KEYS.includes(key)));
  return { message: e[messageField] as string, code: e.code as string, param: (e.param as string | null | undefined) ?? null, fields };
}

/** The client's stream loop: `data: ` lines, [DONE] ends, an `error` chunk fails, otherwise choices[0] is read. */
function readStream(bytes: string): ReadStream {
  const out: ReadStream = { texts: [], finishReasons: [], ended: false };
  for (const line of bytes.split("\n")) {
    if (line === "") continue;
    if (!line.startsWith("data: ")) throw new Error(`not a data line: ${line}`);
    const data = line.slice(6);
    if (data === "[DONE]") {
      out.ended = true;
      break;
    }
    const chunk = JSON.parse(data) as { error?: unknown; choices?: { delta?: { content?: string }; text?: string; finish_reason?: string | null }[] };
    if (chunk.error !== undefined) {
      out.error = readErrorObject(chunk.error, "message");
      break;
    }
    const choice = chunk.choices?.[0];
    if (!choice) throw new Error("IndexError: a chunk without choices[0]");
    const text = choice.delta?.content ?? choice.text;
    if (text) out.texts.push(text);
    if (choice.finish_reason) out.finishReasons.push(choice.finish_reason);
  }
  return out;
}

const hi = [{ role: "user", content: "Hi" }];

dialectContract({
  dialect: indoxChat,
  requests: [
    // Exactly what the client sends for client.chat(messages, model, top_p=0.5).
    {
      wire: { messages: hi, model: "openai/gpt-4o-mini", temperature: 0.7, max_tokens: null, stream: false, byok_api_key: null, additional_params: { top_p: 0.5 } },
      internal: { messages: hi, model: "openai/gpt-4o-mini", temperature: 0.7, stream: false, top_p: 0.5 },
    },
    // A field set at the top level wins over additional_params; an empty additional_params adds nothing.
    {
      wire: { messages: hi, model: "m", temperature: 0.2, stream: true, additional_params: { temperature: 1.5, seed: 7 } },
      internal: { messages: hi, model: "m", temperature: 0.2, stream: true, seed: 7 },
    },
  ],
  refused: [
    { wire: { messages: [], model: "m", additional_params: {} }, param: "messages" },
    { wire: { messages: hi, model: "m", additional_params: { top_p: 2 } }, param: "additional_params.top_p" },
    { wire: { messages: hi, model: "m", additional_params: "top_p=1" }, param: "additional_params" },
    { wire: [1, 2], param: null },
  ],
  withKeywayFields: (fields) => ({ messages: hi, model: "m", additional_params: {}, ...fields }),
  readAnswer: (body) => {
    const answer = body as { success: boolean; data: string; usage: { tokens_prompt: number; tokens_completion: number; cost: number }; byok_api_key: boolean };
    if (answer.success !== true) throw new Error("not a successful answer");
    return { text: answer.data, promptTokens: answer.usage.tokens_prompt, completionTokens: answer.usage.tokens_completion, costUsd: answer.usage.cost, byok: answer.byok_api_key };
  },
  readStream,
  readError: (body) => readErrorObject(body, "detail"),
  ownStreamFormats: [],
});

const decode = (dialect: typeof indoxChat, wire: unknown) => dialect.decode(wire, new Headers());

describe("IndoxRouter requests", () => {
  test("embeddings: `text` is OpenAI's `input`; additional_params merged; a missing or odd text is refused naming it", () => {
    const wire = { text: ["one", "two"], model: "openai/text-embedding-3-small", byok_api_key: null, additional_params: { dimensions: 3 } };
    expect(decode(indoxEmbeddings, wire)).toEqual({ endpoint: "embeddings", body: { input: ["one", "two"], model: "openai/text-embedding-3-small", dimensions: 3 } });
    for (const text of [undefined, [], [1], 5]) {
      expect(() => decode(indoxEmbeddings, { text, model: "m" })).toThrow(expect.objectContaining({ code: "invalid_request", param: "text" }));
    }
    expect(() => decode(indoxEmbeddings, { text: ["a"], model: "m", additional_params: { encoding_format: "base64" } })).toThrow(
      expect.objectContaining({ param: "additional_params.encoding_format" }),
    );
  });

  test("completions, images and speech keep their fields; speech gets OpenAI's default voice when none is named", () => {
    expect(decode(indoxCompletions, { prompt: "Once", model: "m", temperature: 0.7, max_tokens: null, stream: false, additional_params: {} }).body).toEqual({
      prompt: "Once",
      model: "m",
      temperature: 0.7,
      stream: false,
    });
    expect(decode(indoxImages, { prompt: "a cat", model: "google/imagen-3.0-generate-002", aspect_ratio: "16:9", n: 1 }).body).toEqual({
      prompt: "a cat",
      model: "google/imagen-3.0-generate-002",
      aspect_ratio: "16:9",
      n: 1,
    });
    expect(decode(indoxSpeech, { input: "Hello", model: "openai/tts-1" }).body).toEqual({ input: "Hello", model: "openai/tts-1", voice: "alloy" });
    expect(decode(indoxSpeech, { input: "Hello", model: "openai/tts-1", voice: "nova", speed: 1.5 }).body).toMatchObject({ voice: "nova", speed: 1.5 });
    expect(() => decode(indoxImages, { prompt: "x", model: "m", size: "big" })).toThrow(expect.objectContaining({ param: "size" }));
  });

  test("additional_params never reaches the internal body, even when empty or null", () => {
    for (const additional of [{}, null]) {
      expect(decode(indoxChat, { messages: hi, model: "m", additional_params: additional }).body).not.toHaveProperty("additional_params");
    }
  });
});

describe("IndoxRouter answers", () => {
  const meta = { chargedMicros: 2_500, byok: false, provider: "openai", model: "gpt-4o-mini" };

  test("chat: the text, finish reason, the answering provider and model, byok, usage in IndoxRouter's names", () => {
    const result = {
      model: "gpt-4o-mini-2024-07-18",
      choices: [{ index: 0, message: { role: "assistant", content: "Paris." }, finish_reason: "stop" }],
      usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 1 } },
    };
    expect(indoxChat.encodeAnswer(result, meta)).toEqual({
      success: true,
      message: "",
      provider: "openai",
      model: "gpt-4o-mini",
      data: "Paris.",
      finish_reason: "stop",
      byok_api_key: false,
      usage: { tokens_prompt: 9, tokens_completion: 2, tokens_total: 11, cost: 0.0025, cache_read_tokens: 4, reasoning_tokens: 1 },
    });
  });

  test("chat with tool calls keeps them; a completion's text is its data", () => {
    const toolCalls = [{ id: "call_1", type: "function", function: { name: "weather", arguments: "{}" } }];
    const chat = indoxChat.encodeAnswer({ choices: [{ message: { content: null, tool_calls: toolCalls }, finish_reason: "tool_calls" }] }, meta) as Record<string, unknown>;
    expect([chat.data, chat.finish_reason, chat.tool_calls]).toEqual(["", "tool_calls", toolCalls]);
    const completion = indoxCompletions.encodeAnswer({ choices: [{ text: " done", finish_reason: "length" }], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }, meta);
    expect(completion).toMatchObject({ data: " done", finish_reason: "length", usage: { tokens_total: 3 } });
  });

  test("embeddings: vectors in input order; images: url or b64_json", () => {
    const embedded = indoxEmbeddings.encodeAnswer({ data: [{ index: 1, embedding: [0.2, 0.3] }, { index: 0, embedding: [0.1, 0.4] }], usage: { prompt_tokens: 4, total_tokens: 4 } }, meta);
    expect(embedded).toMatchObject({ data: [[0.1, 0.4], [0.2, 0.3]], dimensions: 2, usage: { tokens_prompt: 4, tokens_completion: 0, tokens_total: 4 } });
    const images = indoxImages.encodeAnswer({ created: 1, data: [{ b64_json: "aW1n", revised_prompt: "a cat" }, { url: "https://img.example/1.png" }] }, meta);
    expect((images as { data: unknown }).data).toEqual([{ b64_json: "aW1n", revised_prompt: "a cat" }, { url: "https://img.example/1.png" }]);
  });

  test("speech: the audio as a data: URL with its content type", () => {
    const answer = speechAnswer({ audio: new Uint8Array([1, 2, 3]), contentType: "audio/mpeg; charset=binary", provider: "openai", model: "tts-1", byok: true });
    expect(answer).toMatchObject({ success: true, provider: "openai", model: "tts-1", byok_api_key: true, data: { url: "data:audio/mpeg;base64,AQID" } });
  });

  test("a stream never sends a chunk without choices (the usage-only chunk), whatever the client asked", () => {
    const usageOnly: ChatCompletionChunk = { id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } };
    for (const includeUsage of [true, false]) expect(indoxChat.streamEncoder({ request: {}, includeUsage }).chunk(usageOnly)).toBeUndefined();
  });

  test("errors: `detail` is keyway's message, the status keyway's, for each status the client tells apart", () => {
    for (const [code, status] of [["invalid_api_key", 401], ["invalid_request", 400], ["model_not_found", 404], ["rate_limited", 429], ["insufficient_credits", 402], ["upstream_error", 502]] as const) {
      const encoded = indoxChat.encodeError(new GatewayError(code, `the ${code} message`));
      expect(encoded).toEqual({ status, body: { detail: `the ${code} message`, code, param: null } });
    }
  });
});
