// The Cohere v2 stream translator, fed recorded SSE sequences in Cohere's wire format.
import { describe, expect, test } from "bun:test";
import { sseParser } from "../../../src/gateway/sse.ts";
import type { ChatCompletionChunk, ChatRequest, ProviderContext } from "../../../src/plugins/sdk.ts";
import { cohereStream } from "../../../src/providers/cohere/stream.ts";

const ctx: ProviderContext = { provider: "cohere", model: "command-a-03-2025", baseUrl: "https://api.cohere.com", apiKey: "k", stream: true, options: {} };
const request: ChatRequest = { model: "cohere/command-a-03-2025", messages: [{ role: "user", content: "weather?" }], stream: true };

/** Recorded from /v2/chat with stream: true: a short answer, then two tool calls (Madrid, Brasilia). */
const TEXT_AND_TWO_TOOLS = [
  'event: message-start\ndata: {"id":"fba98ad3-e5a1-413c-a8de-84fbf9baabf7","type":"message-start","delta":{"message":{"role":"assistant","content":[],"tool_plan":"","tool_calls":[],"citations":[]}}}',
  'event: content-start\ndata: {"type":"content-start","index":0,"delta":{"message":{"content":{"type":"text","text":""}}}}',
  'event: content-delta\ndata: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"Let me"}}},"logprobs":null}',
  'event: content-delta\ndata: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":" check."}}},"logprobs":null}',
  'event: content-end\ndata: {"type":"content-end","index":0}',
  'event: tool-plan-delta\ndata: {"type":"tool-plan-delta","delta":{"message":{"tool_plan":"I will search for the weather in Madrid and Brasilia."}}}',
  'event: tool-call-start\ndata: {"type":"tool-call-start","index":0,"delta":{"message":{"tool_calls":{"id":"get_weather_p1t92w7gfgq7","type":"function","function":{"name":"get_weather","arguments":""}}}}}',
  'event: tool-call-delta\ndata: {"type":"tool-call-delta","index":0,"delta":{"message":{"tool_calls":{"function":{"arguments":"{\\n    \\""}}}}}',
  'event: tool-call-delta\ndata: {"type":"tool-call-delta","index":0,"delta":{"message":{"tool_calls":{"function":{"arguments":"location"}}}}}',
  'event: tool-call-delta\ndata: {"type":"tool-call-delta","index":0,"delta":{"message":{"tool_calls":{"function":{"arguments":"\\": \\"Madrid\\"\\n}"}}}}}',
  'event: tool-call-end\ndata: {"type":"tool-call-end","index":0}',
  'event: tool-call-start\ndata: {"type":"tool-call-start","index":1,"delta":{"message":{"tool_calls":{"id":"get_weather_ay6nmvjgp9vn","type":"function","function":{"name":"get_weather","arguments":""}}}}}',
  'event: tool-call-delta\ndata: {"type":"tool-call-delta","index":1,"delta":{"message":{"tool_calls":{"function":{"arguments":"{\\n    \\"location\\": \\"Bras"}}}}}',
  'event: tool-call-delta\ndata: {"type":"tool-call-delta","index":1,"delta":{"message":{"tool_calls":{"function":{"arguments":"ilia\\"\\n}"}}}}}',
  'event: tool-call-end\ndata: {"type":"tool-call-end","index":1}',
  'event: message-end\ndata: {"type":"message-end","delta":{"finish_reason":"TOOL_CALL","usage":{"billed_units":{"input_tokens":37,"output_tokens":28},"tokens":{"input_tokens":913,"output_tokens":83}}}}',
  "data: [DONE]",
].map((event) => `${event}\n\n`).join("");

/** Recorded: an answer with a citation; citation events are not content. */
const TEXT_WITH_CITATION = [
  'event: message-start\ndata: {"id":"e8f9afc1-0888-46f0-a9ed-eb0e5a51e17f","type":"message-start","delta":{"message":{"role":"assistant","content":[],"tool_plan":"","tool_calls":[],"citations":[]}}}',
  'event: content-start\ndata: {"type":"content-start","index":0,"delta":{"message":{"content":{"type":"text","text":""}}}}',
  'event: content-delta\ndata: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"It is"}}},"logprobs":null}',
  'event: content-delta\ndata: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":" 24°C in Madrid."}}},"logprobs":null}',
  'event: citation-start\ndata: {"type":"citation-start","index":0,"delta":{"message":{"citations":{"start":6,"end":10,"text":"24°C","sources":[{"type":"tool","id":"get_weather_p1t92w7gfgq7:0","tool_output":{"temperature":"24C"}}]}}}}',
  'event: citation-end\ndata: {"type":"citation-end","index":0}',
  'event: content-end\ndata: {"type":"content-end","index":0}',
  'event: message-end\ndata: {"type":"message-end","delta":{"finish_reason":"COMPLETE","usage":{"billed_units":{"input_tokens":100,"output_tokens":9},"tokens":{"input_tokens":1200,"output_tokens":12}}}}',
].map((event) => `${event}\n\n`).join("");

function run(recorded: string): ChatCompletionChunk[] {
  const parser = sseParser();
  const state = cohereStream.start(ctx, request);
  const events = [...parser.push(recorded), ...parser.end()];
  return [...events.flatMap((event) => cohereStream.translate(event, state)), ...cohereStream.finish(state)];
}

describe("cohere stream translator", () => {
  test("text, then two tool calls with stable indexes; finish and usage at the end", () => {
    const chunks = run(TEXT_AND_TWO_TOOLS);
    expect(chunks.every((c) => c.id === "fba98ad3-e5a1-413c-a8de-84fbf9baabf7" && c.model === "command-a-03-2025")).toBe(true);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: "assistant", content: "" });
    expect(chunks.filter((c) => c.choices[0]?.delta.role === "assistant")).toHaveLength(1);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe("Let me check.");
    const calls = new Map<number, { id?: string; name: string; args: string }>();
    for (const chunk of chunks) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        const entry = calls.get(delta.index) ?? { name: "", args: "" };
        entry.id ??= delta.id;
        entry.name += delta.function?.name ?? "";
        entry.args += delta.function?.arguments ?? "";
        calls.set(delta.index, entry);
      }
    }
    expect([...calls.keys()]).toEqual([0, 1]);
    expect(calls.get(0)).toEqual({ id: "get_weather_p1t92w7gfgq7", name: "get_weather", args: '{\n    "location": "Madrid"\n}' });
    expect(JSON.parse(calls.get(1)?.args ?? "")).toEqual({ location: "Brasilia" });
    expect(calls.get(1)?.id).toBe("get_weather_ay6nmvjgp9vn");
    const starts = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []).filter((d) => d.id !== undefined);
    expect(starts.map((d) => d.type)).toEqual(["function", "function"]);
    const finish = chunks.at(-2);
    expect(finish?.choices).toEqual([{ index: 0, delta: {}, finish_reason: "tool_calls" }]);
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toEqual({ prompt_tokens: 37, completion_tokens: 28, total_tokens: 65 });
    expect(JSON.stringify(chunks)).not.toContain("I will search");
  });

  test("citations and content-end are skipped; COMPLETE is stop", () => {
    const chunks = run(TEXT_WITH_CITATION);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("It is 24°C in Madrid.");
    expect(chunks.flatMap((c) => c.choices.map((choice) => choice.finish_reason)).filter(Boolean)).toEqual(["stop"]);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(9);
  });

  test("usage falls back to tokens without billed_units; MAX_TOKENS is length", () => {
    const chunks = run(
      'event: message-start\ndata: {"id":"m1","type":"message-start","delta":{"message":{"role":"assistant"}}}\n\n' +
        'event: content-delta\ndata: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"cut"}}}}\n\n' +
        'event: message-end\ndata: {"type":"message-end","delta":{"finish_reason":"MAX_TOKENS","usage":{"tokens":{"input_tokens":4,"output_tokens":1}}}}\n\n',
    );
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("length");
    expect(chunks.at(-1)?.usage).toEqual({ prompt_tokens: 4, completion_tokens: 1, total_tokens: 5 });
  });

  test("a thinking part is not content", () => {
    const chunks = run(
      'event: message-start\ndata: {"id":"m2","type":"message-start","delta":{"message":{"role":"assistant"}}}\n\n' +
        'event: content-start\ndata: {"type":"content-start","index":0,"delta":{"message":{"content":{"type":"thinking","thinking":""}}}}\n\n' +
        'event: content-delta\ndata: {"type":"content-delta","index":0,"delta":{"message":{"content":{"thinking":"hmm"}}}}\n\n' +
        'event: content-start\ndata: {"type":"content-start","index":1,"delta":{"message":{"content":{"type":"text","text":""}}}}\n\n' +
        'event: content-delta\ndata: {"type":"content-delta","index":1,"delta":{"message":{"content":{"text":"42"}}}}\n\n' +
        'event: message-end\ndata: {"type":"message-end","delta":{"finish_reason":"COMPLETE"}}\n\n',
    );
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("42");
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
  });

  test("an ERROR finish ends the stream with an error, not a normal stop", () => {
    expect(() =>
      run(
        'event: message-start\ndata: {"id":"m3","type":"message-start","delta":{"message":{"role":"assistant"}}}\n\n' +
          'event: message-end\ndata: {"type":"message-end","delta":{"finish_reason":"ERROR","error":"internal failure"}}\n\n',
      ),
    ).toThrow("internal failure");
  });

  test("a stream cut before message-end is an error", () => {
    expect(() => run('event: message-start\ndata: {"id":"m4","type":"message-start","delta":{"message":{"role":"assistant"}}}\n\n')).toThrow(
      "message-end",
    );
  });
});
