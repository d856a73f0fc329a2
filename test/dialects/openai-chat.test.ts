// The OpenAI chat dialect against the dialect contract, with readers written as an OpenAI client reads the wire.
import { describe, expect, test } from "bun:test";
import { GatewayError } from "../../src/core/errors.ts";
import { openAIChat } from "../../src/dialects/openai-chat/dialect.ts";
import { openAISseEvents } from "../../src/gateway/openai-sse-events.ts";
import { sseParser } from "../../src/gateway/sse.ts";
import type { ChatCompletionChunk } from "../../src/plugins/sdk.ts";
import { dialectContract, type ReadError } from "./dialect.contract.ts";

const ERROR_FIELDS = ["message", "type", "param", "code"];

/** OpenAI's error object: {message, type, param, code} (strings, param null or a string), plus further fields. */
function readErrorObject(error: unknown): ReadError {
  if (typeof error !== "object" || error === null) throw new Error(`not an OpenAI error object: ${JSON.stringify(error)}`);
  const e = error as Record<string, unknown>;
  const shaped = typeof e.message === "string" && typeof e.type === "string" && typeof e.code === "string" && (e.param === null || typeof e.param === "string");
  if (!shaped) throw new Error(`not an OpenAI error object: ${JSON.stringify(error)}`);
  const fields = Object.fromEntries(Object.entries(e).filter(([key]) => !ERROR_FIELDS.includes(key)));
  return { message: e.message as string, code: e.code as string, param: e.param as string | null, fields };
}

function readStream(bytes: string) {
  const out: ReturnType<Parameters<typeof dialectContract>[0]["readStream"]> = { texts: [], finishReasons: [], ended: false };
  for (const event of bytes.split("\n\n")) {
    if (event === "") continue;
    if (!event.startsWith("data: ")) throw new Error(`not an SSE data event: ${event}`);
    const data = event.slice(6);
    if (data === "[DONE]") {
      out.ended = true;
      continue;
    }
    const parsed = JSON.parse(data) as { error?: unknown; choices?: { delta: { content?: string }; finish_reason: string | null }[] };
    if (parsed.error !== undefined) {
      out.error = readErrorObject(parsed.error);
      continue;
    }
    for (const choice of parsed.choices ?? []) {
      if (choice.delta.content) out.texts.push(choice.delta.content);
      if (choice.finish_reason) out.finishReasons.push(choice.finish_reason);
    }
  }
  return out;
}

dialectContract({
  dialect: openAIChat,
  requests: [
    {
      wire: { model: "gpt-4o", messages: [{ role: "user", content: "Hi" }], stream: true, stream_options: { include_usage: true } },
      internal: { model: "gpt-4o", messages: [{ role: "user", content: "Hi" }], stream: true, stream_options: { include_usage: true } },
    },
    // OpenAI takes a top-level null of an optional field as the field left out; unknown fields pass.
    {
      wire: { model: "gpt-4o", messages: [{ role: "user", content: "Hi" }], temperature: null, seed: 7 },
      internal: { model: "gpt-4o", messages: [{ role: "user", content: "Hi" }], seed: 7 },
    },
  ],
  refused: [
    { wire: { model: "gpt-4o", messages: [] }, param: "messages" },
    { wire: { model: "gpt-4o", messages: [{ role: "user", content: "Hi" }], temperature: 3 }, param: "temperature" },
    { wire: [1, 2], param: null },
  ],
  withKeywayFields: (fields) => ({ model: "gpt-4o", messages: [{ role: "user", content: "Hi" }], ...fields }),
  readAnswer: (body) => {
    const answer = body as { choices: { message: { content: string } }[]; usage: { prompt_tokens: number; completion_tokens: number; cost: number }; byok_api_key: boolean };
    return {
      text: answer.choices[0]?.message.content ?? "",
      promptTokens: answer.usage.prompt_tokens,
      completionTokens: answer.usage.completion_tokens,
      costUsd: answer.usage.cost,
      byok: answer.byok_api_key,
    };
  },
  readStream,
  readError: (body) => readErrorObject((body as { error?: unknown }).error),
  ownStreamFormats: ["openai-sse"],
  readOwnFormat: {
    "openai-sse": (bytes) => {
      const parser = sseParser();
      return [...parser.push(bytes), ...parser.end()].flatMap((event) => openAISseEvents.translate(event, undefined)) as ChatCompletionChunk[];
    },
  },
});

describe("OpenAI dialect details", () => {
  test("errors carry OpenAI's type for their status family", () => {
    const types = (["invalid_api_key", "permission_denied", "not_found", "rate_limited", "insufficient_credits", "upstream_timeout", "invalid_request"] as const).map(
      (code) => (openAIChat.encodeError(new GatewayError(code, "m")).body as { error: { type: string } }).error.type,
    );
    expect(types).toEqual(["authentication_error", "permission_error", "not_found_error", "rate_limit_error", "insufficient_quota", "api_error", "invalid_request_error"]);
  });

  test("an answer without usage gets no cost, and keeps every field it had", () => {
    const body = openAIChat.encodeAnswer({ object: "list", data: [{ embedding: [0.5] }], model: "m" }, { chargedMicros: 0, byok: false });
    expect(body).toEqual({ object: "list", data: [{ embedding: [0.5] }], model: "m", byok_api_key: false });
  });
});
