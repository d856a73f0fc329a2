// Example provider plugin: "Tiny LLM", a small non-OpenAI JSON API, translated to and from the OpenAI shape.
// Copy it to start your own. A plugin imports only `keyway/plugin`; keyway loads it at start-up from the path
// named in the config (`providers.tiny: { adapter: ./plugins/tinyllm-provider.ts, base_url: ... }`).
//
// The upstream it speaks (see test/fixtures/mock-tinyllm.ts for a runnable copy):
//   POST {base}/v1/generate   x-tiny-key: <key>
//     { model, turns: [{ from: "system"|"user"|"assistant", text }], max_words?, stream? }
//   -> { id, model, text, finish: "done"|"max_words", usage: { words_in, words_out } }
//   -> stream: NDJSON lines { type: "text", text } ... then { type: "end", finish, usage }
//   errors: { error: "message" } with the HTTP status (429 carries Retry-After)
//   GET {base}/v1/me -> 200 when the key is good (used to check keys and probe health)
import {
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatMessage,
  type ChatRequest,
  defineProvider,
  deltaChunk,
  failureFromStatus,
  type FinishReason,
  type StreamTranslator,
  type Usage,
  usageChunk,
} from "keyway/plugin";

/** OpenAI parameters Tiny LLM cannot honour: removed and named in X-Keyway-Dropped-Params. */
const UNSUPPORTED = ["temperature", "top_p", "n", "stop", "tools", "tool_choice", "response_format", "logprobs", "seed", "presence_penalty", "frequency_penalty", "user"];
/** OpenAI parameters this plugin translates itself. */
const TRANSLATED = new Set(["model", "messages", "max_tokens", "max_completion_tokens", "stream", "stream_options"]);

interface TinyAnswer {
  id?: string;
  model?: string;
  text?: string;
  finish?: string;
  usage?: { words_in?: number; words_out?: number };
}

function textOf(message: ChatMessage): string {
  if (typeof message.content === "string") return message.content;
  if (!Array.isArray(message.content)) return "";
  return message.content.map((part) => (part.type === "text" && typeof part.text === "string" ? part.text : "")).join("");
}

const finishReason = (finish: string | undefined): FinishReason => (finish === "max_words" ? "length" : "stop");

function usageOf(usage: TinyAnswer["usage"]): Usage | undefined {
  if (!usage) return undefined;
  const prompt = usage.words_in ?? 0;
  const completion = usage.words_out ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

interface TinyStreamState {
  id: string;
  model: string;
  created: number;
  roleSent: boolean;
}

// deltaChunk adds `role: "assistant"` to the first chunk; usageChunk is the final usage-only chunk.
const chunkOf = (state: TinyStreamState, delta: ChatCompletionChunk["choices"][number]["delta"], finish: FinishReason = null): ChatCompletionChunk =>
  deltaChunk(state, delta, finish);

/** NDJSON events -> OpenAI chunks; pure over its state. */
const tinyStream: StreamTranslator<TinyStreamState> = {
  framing: "ndjson",
  start: (ctx) => ({ id: `chatcmpl-tiny-${Date.now()}`, model: ctx.model, created: Math.floor(Date.now() / 1000), roleSent: false }),
  translate(event, state) {
    const line = JSON.parse(event.data) as { type?: string; text?: string; finish?: string; usage?: TinyAnswer["usage"] };
    if (line.type === "text" && line.text) return [chunkOf(state, { content: line.text })];
    if (line.type !== "end") return [];
    const out = [chunkOf(state, {}, finishReason(line.finish))];
    const usage = usageOf(line.usage);
    if (usage) out.push(usageChunk(state, usage));
    return out;
  },
  finish: () => [],
};

export default defineProvider({
  name: "tinyllm",
  otelName: "tinyllm",
  keyPattern: /^tiny-[A-Za-z0-9]{16,}$/,
  modelPrefixes: ["tiny-"],
  // What keyway should know about Tiny LLM besides its wire format, used exactly as for the built-in providers:
  // list prices (USD per million tokens) for platform-key charges, its member of the `fast` model group, where its
  // keys hide in text (redacted from logs and errors), and the header saying how many requests are left.
  prices: { "tiny-1": { input_per_mtok: 100, output_per_mtok: 200 } },
  modelGroups: { fast: "tiny-1" },
  keyPatterns: [/\btiny-[A-Za-z0-9]{16,}/],
  rateLimitHeaders: { remainingRequests: ["x-tiny-requests-left"] },
  endpoints: {
    chat: {
      toUpstream(body: ChatRequest, ctx) {
        const dropped = UNSUPPORTED.filter((name) => body[name] !== undefined);
        const passthrough = Object.fromEntries(Object.entries(body).filter(([name]) => !TRANSLATED.has(name) && !UNSUPPORTED.includes(name)));
        const maxWords = body.max_completion_tokens ?? body.max_tokens;
        const upstream = {
          ...passthrough,
          model: ctx.model,
          turns: body.messages.map((m) => ({ from: m.role === "assistant" ? "assistant" : m.role === "system" || m.role === "developer" ? "system" : "user", text: textOf(m) })),
          ...(maxWords !== undefined ? { max_words: maxWords } : {}),
          ...(ctx.stream ? { stream: true } : {}),
        };
        return {
          url: `${ctx.baseUrl}/v1/generate`,
          headers: { "content-type": "application/json", "x-tiny-key": ctx.apiKey },
          body: JSON.stringify(upstream),
          dropped,
        };
      },
      fromUpstream(json, ctx): ChatCompletion {
        const answer = json as TinyAnswer;
        return {
          id: answer.id ?? `chatcmpl-tiny-${Date.now()}`,
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model: answer.model ?? ctx.model,
          choices: [{ index: 0, message: { role: "assistant", content: answer.text ?? "" }, finish_reason: finishReason(answer.finish) }],
          usage: usageOf(answer.usage),
        };
      },
      stream: tinyStream as StreamTranslator,
    },
  },
  // Tiny LLM's statuses mean what HTTP says; its "overloaded" 503 is a server error like any 5xx. An upstream
  // with odder errors maps them here (status, body text, headers -> auth / rate_limit / server_error / ...).
  mapError: (status, body, headers) => failureFromStatus(status, body, headers),
  checkKey: (ctx) => ({ url: `${ctx.baseUrl}/v1/me`, method: "GET", headers: { "x-tiny-key": ctx.apiKey } }),
});
