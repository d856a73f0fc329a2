// The OpenAI Responses dialect against the dialect contract, with readers written as a Responses client reads the
// wire, and its translation both ways; event streams are replayed through the official client's own accumulator.
import { describe, expect, test } from "bun:test";
import { accumulateResponse } from "openai/lib/responses/ResponseAccumulator";
import type { Response as OpenAIResponse, ResponseStreamEvent } from "openai/resources/responses/responses";
import { GatewayError } from "../../src/core/errors.ts";
import { openAIResponses } from "../../src/dialects/openai-responses/dialect.ts";
import type { ChatCompletionChunk } from "../../src/plugins/sdk.ts";
import { dialectContract, type ReadError, type ReadStream } from "./dialect.contract.ts";

const ERROR_FIELDS = ["message", "type", "param", "code"];

/** OpenAI's error object: {message, type, param, code}, plus further fields. */
function readErrorObject(error: unknown): ReadError {
  const e = error as Record<string, unknown>;
  const shaped = typeof e?.message === "string" && typeof e.type === "string" && typeof e.code === "string" && (e.param === null || typeof e.param === "string");
  if (!shaped) throw new Error(`not an OpenAI error object: ${JSON.stringify(error)}`);
  const fields = Object.fromEntries(Object.entries(e).filter(([key]) => !ERROR_FIELDS.includes(key)));
  return { message: e.message as string, code: e.code as string, param: e.param as string | null, fields };
}

/** The events of a Responses stream: `event: <type>` and `data: {type, sequence_number, ...}` pairs, numbered from 0. */
function events(bytes: string): ResponseStreamEvent[] {
  const out: ResponseStreamEvent[] = [];
  for (const frame of bytes.split("\n\n")) {
    if (frame === "") continue;
    const [eventLine, dataLine, ...rest] = frame.split("\n");
    if (!eventLine?.startsWith("event: ") || !dataLine?.startsWith("data: ") || rest.length > 0) throw new Error(`not a Responses SSE event: ${frame}`);
    const data = JSON.parse(dataLine.slice(6)) as ResponseStreamEvent;
    if (data.type !== eventLine.slice(7)) throw new Error(`event name ${eventLine} does not match type ${data.type}`);
    if (data.sequence_number !== out.length) throw new Error(`sequence_number ${data.sequence_number} where ${out.length} was due`);
    out.push(data);
  }
  return out;
}

/** What a client reads: text deltas, how the response ended (as a chat finish reason), and an error event. */
function readStream(bytes: string): ReadStream {
  const out: ReadStream = { texts: [], finishReasons: [], ended: false };
  for (const event of events(bytes)) {
    if (event.type === "response.output_text.delta") out.texts.push(event.delta);
    if (event.type === "response.completed") {
      out.ended = true;
      out.finishReasons.push(event.response.output.some((item) => item.type === "function_call") ? "tool_calls" : "stop");
    }
    if (event.type === "response.incomplete") {
      out.ended = true;
      out.finishReasons.push(event.response.incomplete_details?.reason === "max_output_tokens" ? "length" : "content_filter");
    }
    if (event.type === "error") out.error = { message: event.message, code: event.code ?? "", param: event.param, fields: {} };
  }
  return out;
}

/** The final response the official client builds from a stream's events. */
function accumulate(bytes: string): OpenAIResponse {
  let snapshot: OpenAIResponse | undefined;
  for (const event of events(bytes)) snapshot = accumulateResponse(event, snapshot);
  if (!snapshot) throw new Error("no events");
  return snapshot;
}

const hi = [{ role: "user", content: "Hi" }];

dialectContract({
  dialect: openAIResponses,
  requests: [
    { wire: { model: "gpt-4o", input: "Hi", stream: true }, internal: { model: "gpt-4o", messages: hi, stream: true } },
    // a top-level null is the field left out
    { wire: { model: "gpt-4o", input: "Hi", temperature: null, instructions: "Be brief." }, internal: { model: "gpt-4o", messages: [{ role: "system", content: "Be brief." }, ...hi] } },
    {
      wire: { model: "gpt-4o", input: [{ role: "user", content: [{ type: "input_text", text: "Hi" }] }], max_output_tokens: 50, temperature: 0.5, top_p: 0.9 },
      internal: { model: "gpt-4o", messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }], max_tokens: 50, temperature: 0.5, top_p: 0.9 },
    },
  ],
  refused: [
    { wire: { model: "gpt-4o" }, param: "input" },
    { wire: { model: "gpt-4o", input: "Hi", temperature: 3 }, param: "temperature" },
    { wire: { model: "gpt-4o", input: [{ role: "user", content: [{ type: "input_audio" }] }] }, param: "input[0].content[0].type" },
    { wire: { model: "gpt-4o", input: [{ role: "robot", content: "Hi" }] }, param: "input[0].role" },
    { wire: { model: "gpt-4o", input: [{ type: "function_call", name: "f", arguments: "{}" }] }, param: "input[0].call_id" },
    { wire: { model: "gpt-4o", input: "Hi", text: { format: { type: "json_schema", name: "x" } } }, param: "text.format.schema" },
    { wire: { model: "gpt-4o", input: "Hi", tools: [{ type: "function" }] }, param: "tools[0].name" },
    { wire: [1, 2], param: null },
  ],
  withKeywayFields: (fields) => ({ model: "gpt-4o", input: "Hi", ...fields }),
  readAnswer: (body) => {
    const answer = body as { output: { type: string; content?: { type: string; text: string }[] }[]; usage: { input_tokens: number; output_tokens: number; cost: number }; byok_api_key: boolean };
    const text = answer.output.filter((item) => item.type === "message").flatMap((item) => item.content ?? []).filter((part) => part.type === "output_text").map((part) => part.text).join("");
    return { text, promptTokens: answer.usage.input_tokens, completionTokens: answer.usage.output_tokens, costUsd: answer.usage.cost, byok: answer.byok_api_key };
  },
  readStream,
  readError: (body) => readErrorObject((body as { error?: unknown }).error),
  ownStreamFormats: [],
});

function chunk(delta: ChatCompletionChunk["choices"][number]["delta"], finish: ChatCompletionChunk["choices"][number]["finish_reason"] = null): ChatCompletionChunk {
  return { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "claude-x", choices: [{ index: 0, delta, finish_reason: finish }] };
}
const usageChunk: ChatCompletionChunk = {
  id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "claude-x", choices: [],
  usage: { prompt_tokens: 20, completion_tokens: 8, total_tokens: 28, prompt_tokens_details: { cached_tokens: 4, cache_write_tokens: 3 }, completion_tokens_details: { reasoning_tokens: 2 } },
};

function encode(chunks: ChatCompletionChunk[], failure?: GatewayError): string {
  const encoder = openAIResponses.streamEncoder({ request: { model: "claude-x", messages: hi }, includeUsage: false });
  const decoder = new TextDecoder();
  const parts = chunks.map((c) => decoder.decode(encoder.chunk(c) ?? new Uint8Array()));
  return parts.join("") + decoder.decode(failure ? encoder.error(failure) : encoder.end());
}

describe("Responses requests as chat calls", () => {
  test("instructions, message items with images and files, a function call round trip, tools and text.format", () => {
    const wire = {
      model: "claude-x",
      instructions: "You are terse.",
      input: [
        { role: "user", content: [{ type: "input_text", text: "Weather here?" }, { type: "input_image", image_url: "data:image/png;base64,iVBOR", detail: "low" }, { type: "input_file", file_data: "data:application/pdf;base64,JVBE", filename: "a.pdf" }] },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "Checking.", annotations: [] }] },
        { type: "function_call", call_id: "call_1", name: "weather", arguments: '{"city":"Paris"}' },
        { type: "function_call", call_id: "call_2", name: "weather", arguments: '{"city":"Rome"}' },
        { type: "reasoning", id: "rs_1", summary: [] },
        { type: "function_call_output", call_id: "call_1", output: "sunny" },
        { type: "function_call_output", call_id: "call_2", output: [{ type: "input_text", text: "rain" }] },
      ],
      tools: [{ type: "function", name: "weather", description: "Weather of a city", parameters: { type: "object", properties: { city: { type: "string" } } }, strict: true }],
      tool_choice: { type: "function", name: "weather" },
      text: { format: { type: "json_schema", name: "answer", schema: { type: "object" }, strict: true } },
      reasoning: { effort: "low" },
      parallel_tool_calls: false,
      safety_identifier: "user-7",
    };
    const decoded = openAIResponses.decode(structuredClone(wire), new Headers());
    expect(decoded.body).toEqual({
      model: "claude-x",
      parallel_tool_calls: false,
      user: "user-7",
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: [{ type: "text", text: "Weather here?" }, { type: "image_url", image_url: { url: "data:image/png;base64,iVBOR", detail: "low" } }, { type: "file", file: { file_data: "data:application/pdf;base64,JVBE", filename: "a.pdf" } }] },
        {
          role: "assistant",
          content: "Checking.",
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } },
            { id: "call_2", type: "function", function: { name: "weather", arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "sunny" },
        { role: "tool", tool_call_id: "call_2", content: "rain" },
      ],
      tools: [{ type: "function", function: { name: "weather", description: "Weather of a city", parameters: { type: "object", properties: { city: { type: "string" } } }, strict: true } }],
      tool_choice: { type: "function", function: { name: "weather" } },
      response_format: { type: "json_schema", json_schema: { name: "answer", schema: { type: "object" }, strict: true } },
      reasoning_effort: "low",
    });
    expect(decoded.native).toEqual({ format: "openai-responses", body: wire, headers: {} });
  });

  test("json_object, allowed_tools and a function call without text before it", () => {
    const { body } = openAIResponses.decode(
      {
        model: "m",
        input: [{ type: "function_call", call_id: "c", name: "a", arguments: "{}" }, { type: "function_call_output", call_id: "c", output: "ok" }],
        tools: [{ type: "function", name: "a" }, { type: "function", name: "b" }],
        tool_choice: { type: "allowed_tools", mode: "required", tools: [{ type: "function", name: "b" }] },
        text: { format: { type: "json_object" } },
      },
      new Headers(),
    );
    expect(body.messages).toEqual([
      { role: "assistant", content: null, tool_calls: [{ id: "c", type: "function", function: { name: "a", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "c", content: "ok" },
    ]);
    expect(body.tools).toEqual([{ type: "function", function: { name: "b" } }]);
    expect(body.tool_choice).toBe("required");
    expect(body.response_format).toEqual({ type: "json_object" });
  });

  test("what only OpenAI can honour is named native-only: stored state, store: true, hosted tools, file ids", () => {
    const nativeOnly = (wire: Record<string, unknown>) => openAIResponses.decode({ model: "m", ...wire }, new Headers()).native?.nativeOnly;
    expect(nativeOnly({ input: "Hi", previous_response_id: "resp_1", store: true })).toEqual(["previous_response_id", "store"]);
    expect(nativeOnly({ input: "Hi", store: false })).toBeUndefined();
    expect(nativeOnly({ input: "Hi" })).toBeUndefined();
    expect(nativeOnly({ input: "Hi", tools: [{ type: "web_search" }] })).toEqual(["tools"]);
    expect(nativeOnly({ input: [{ type: "item_reference", id: "msg_1" }] })).toEqual(["input"]);
    expect(nativeOnly({ input: [{ role: "user", content: [{ type: "input_image", file_id: "file-1" }] }] })).toEqual(["input"]);
    // with state held by OpenAI, no input of its own is needed
    expect(nativeOnly({ previous_response_id: "resp_1" })).toEqual(["previous_response_id"]);
  });
});

describe("chat answers as Responses", () => {
  test("text and tool calls become output items; usage in Responses' names, with its details", () => {
    const body = openAIResponses.encodeAnswer(
      {
        id: "chatcmpl-1", object: "chat.completion", created: 1_700_000_000, model: "claude-x",
        choices: [{ index: 0, message: { role: "assistant", content: "Looking.", tool_calls: [{ id: "toolu_1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } }] }, finish_reason: "tool_calls" }],
        usage: usageChunk.usage ?? undefined,
      },
      { chargedMicros: 2_500, byok: false },
    ) as OpenAIResponse & { byok_api_key: boolean; usage: { cost: number } };
    expect(body).toMatchObject({ object: "response", status: "completed", model: "claude-x", created_at: 1_700_000_000, error: null, incomplete_details: null, byok_api_key: false });
    expect(body.id).toMatch(/^resp_/);
    expect(body.output).toEqual([
      { id: expect.stringMatching(/^msg_/), type: "message", status: "completed", role: "assistant", content: [{ type: "output_text", text: "Looking.", annotations: [], logprobs: [] }] },
      { id: expect.stringMatching(/^fc_/), type: "function_call", status: "completed", call_id: "toolu_1", name: "weather", arguments: '{"city":"Paris"}' },
    ]);
    expect(body.usage).toEqual({ input_tokens: 20, input_tokens_details: { cached_tokens: 4, cache_write_tokens: 3 }, output_tokens: 8, output_tokens_details: { reasoning_tokens: 2 }, total_tokens: 28, cost: 0.0025 });
  });

  test("an answer cut by the token limit is incomplete, naming max_output_tokens", () => {
    const body = openAIResponses.encodeAnswer(
      { id: "c", object: "chat.completion", created: 1, model: "m", choices: [{ index: 0, message: { role: "assistant", content: "Hal" }, finish_reason: "length" }] },
      { chargedMicros: 0, byok: true },
    ) as OpenAIResponse;
    expect(body.status).toBe("incomplete");
    expect(body.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(body.usage).toBeNull();
  });
});

describe("chat chunks as the Responses event stream", () => {
  test("text, then two tool calls, then usage: the official accumulator builds the whole response", () => {
    const bytes = encode([
      chunk({ role: "assistant", content: "" }),
      chunk({ content: "Let me " }),
      chunk({ content: "check." }),
      chunk({ tool_calls: [{ index: 0, id: "toolu_1", type: "function", function: { name: "weather", arguments: "" } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ index: 1, id: "toolu_2", type: "function", function: { name: "time", arguments: "{}" } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
      chunk({}, "tool_calls"),
      usageChunk,
    ]);
    const types = events(bytes).map((e) => e.type);
    expect(types.slice(0, 5)).toEqual(["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.delta"]);
    expect(types.filter((t) => t === "response.function_call_arguments.delta")).toHaveLength(3);
    expect(types.at(-1)).toBe("response.completed");
    const final = accumulate(bytes);
    expect(final.status).toBe("completed");
    expect(final.output_text).toBe("Let me check.");
    expect(final.output.map((item) => item.type)).toEqual(["message", "function_call", "function_call"]);
    expect(final.output[1]).toMatchObject({ type: "function_call", call_id: "toolu_1", name: "weather", arguments: '{"city":"Paris"}', status: "completed" });
    expect(final.output[2]).toMatchObject({ call_id: "toolu_2", name: "time", arguments: "{}" });
    expect(final.usage).toEqual({ input_tokens: 20, input_tokens_details: { cached_tokens: 4, cache_write_tokens: 3 }, output_tokens: 8, output_tokens_details: { reasoning_tokens: 2 }, total_tokens: 28 });
    expect(final.model).toBe("claude-x");
  });

  test("a stream stopped by the token limit ends with response.incomplete", () => {
    const list = events(encode([chunk({ content: "Hal" }), chunk({}, "length")]));
    const last = list.at(-1);
    expect(last?.type).toBe("response.incomplete");
    expect(last?.type === "response.incomplete" && last.response.incomplete_details).toEqual({ reason: "max_output_tokens" });
  });

  test("an empty stream still opens and completes the response", () => {
    expect(events(encode([])).map((e) => e.type)).toEqual(["response.created", "response.in_progress", "response.completed"]);
  });

  test("a failure mid-text is an error event, then response.failed with the error", () => {
    const list = events(encode([chunk({ content: "Hal" })], new GatewayError("upstream_error", "anthropic stream failed: overloaded")));
    const [error, failed] = list.slice(-2);
    expect(error).toMatchObject({ type: "error", code: "upstream_error", message: "anthropic stream failed: overloaded", param: null });
    expect(failed).toMatchObject({ type: "response.failed", response: { status: "failed", error: { code: "upstream_error", message: "anthropic stream failed: overloaded" } } });
  });

  test("errors are OpenAI's error object, with its type for the status", () => {
    const encoded = openAIResponses.encodeError(new GatewayError("invalid_request", "'input' is required.", { param: "input" }));
    expect(encoded).toEqual({ status: 400, body: { error: { message: "'input' is required.", type: "invalid_request_error", param: "input", code: "invalid_request" } } });
  });
});
