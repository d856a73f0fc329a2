// The files `keyway plugin init` writes: a provider or strategy plugin that works as written, its test (the kit's
// provider contract against a mock of the skeleton's made-up API, or the strategy's order), package.json and tsconfig.

export interface Skeleton {
  name: string;
  /** The kit's npm spec, installed as `keyway` so `keyway/plugin` resolves for tsc and bun test as in the binary. */
  kit: string;
}

export function packageJson({ name, kit }: Skeleton): string {
  const manifest = {
    name: `keyway-plugin-${name}`,
    version: "0.1.0",
    private: true,
    type: "module",
    scripts: { test: "bun test", typecheck: "tsc --noEmit" },
    devDependencies: { keyway: kit, "@types/bun": "^1.2.0", typescript: "^5.9.0" },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: "ESNext",
      module: "Preserve",
      moduleResolution: "bundler",
      lib: ["ESNext", "DOM"],
      types: ["bun"],
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      allowImportingTsExtensions: true,
    },
    include: ["*.ts"],
  },
  null,
  2,
)}\n`;

export function providerSource({ name }: Skeleton): string {
  return `// A keyway provider plugin for ${name}'s API (a made-up JSON API here: replace the shapes with your provider's).
// Name this file in keyway.yaml: providers: { ${name}: { adapter: ./${name}-provider.ts, base_url: https://... } }
import { type ChatCompletionChunk, defineProvider, deltaChunk, failureFromStatus, type StreamTranslator, usageChunk } from "keyway/plugin";

interface Answer {
  id: string;
  model: string;
  output_text: string;
  stop_reason: "end" | "max_tokens";
  usage: { input: number; output: number };
}

const FINISH = { end: "stop", max_tokens: "length" } as const;

interface StreamState {
  id: string;
  model: string;
  created: number;
  roleSent: boolean;
}

/** The upstream streams SSE events \`{"delta": "..."}\`, then \`{"done": true, "stop_reason", "usage"}\`. */
const stream: StreamTranslator<StreamState> = {
  framing: "sse",
  start: (ctx) => ({ id: \`${name}-\${Date.now()}\`, model: ctx.model, created: Math.floor(Date.now() / 1000), roleSent: false }),
  translate(event, state): ChatCompletionChunk[] {
    const data = JSON.parse(event.data) as { delta?: string; done?: boolean; stop_reason?: Answer["stop_reason"]; usage?: Answer["usage"] };
    if (data.delta !== undefined) return [deltaChunk(state, { content: data.delta })];
    if (!data.done || !data.usage || !data.stop_reason) return [];
    const { input, output } = data.usage;
    return [deltaChunk(state, {}, FINISH[data.stop_reason]), usageChunk(state, { prompt_tokens: input, completion_tokens: output, total_tokens: input + output })];
  },
  finish: () => [],
};

export default defineProvider({
  name: "${name}",
  otelName: "${name}",
  keyPattern: /^${name}-[A-Za-z0-9]{16,}$/,
  keyPatterns: [/${name}-[A-Za-z0-9]{16,}/],
  endpoints: {
    chat: {
      toUpstream(body, ctx) {
        const { messages, max_tokens, stream, stream_options: _usage, model: _model, ...rest } = body;
        const dropped = Object.keys(rest);
        return {
          url: \`\${ctx.baseUrl}/v1/generate\`,
          headers: { authorization: \`Bearer \${ctx.apiKey}\`, "content-type": "application/json" },
          body: JSON.stringify({
            model: ctx.model,
            messages: messages.map((m) => ({ role: m.role, content: typeof m.content === "string" ? m.content : "" })),
            max_tokens,
            stream: stream === true,
          }),
          dropped: dropped.length > 0 ? dropped : undefined,
        };
      },
      fromUpstream(json) {
        const answer = json as Answer;
        return {
          id: answer.id,
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model: answer.model,
          choices: [{ index: 0, message: { role: "assistant", content: answer.output_text }, finish_reason: FINISH[answer.stop_reason] }],
          usage: { prompt_tokens: answer.usage.input, completion_tokens: answer.usage.output, total_tokens: answer.usage.input + answer.usage.output },
        };
      },
      stream: stream as StreamTranslator,
    },
  },
  mapError: failureFromStatus,
});
`;
}

export function providerMock({ name }: Skeleton): string {
  return `// A mock of ${name}'s API for the contract: checks the key, echoes the last user message, streams it word by word.
import { type ContractMock, mockUpstream, streamFrames } from "keyway/plugin/testing";

export function start${pascal(name)}Mock(key: string): ContractMock {
  return mockUpstream({
    handle(call, request, failure) {
      if (request.headers.get("authorization") !== \`Bearer \${key}\`) return Response.json({ error: { message: "unknown key" } }, { status: 401 });
      const body = call.body as { model: string; stream: boolean; messages: { role: string; content: string }[] };
      const said = body.messages.filter((m) => m.role === "user").at(-1)?.content ?? "";
      const words = \`echo: \${said}\`.split(/(?<= )/);
      const usage = { input: body.messages.length * 3, output: words.length };
      if (!body.stream) return Response.json({ id: "${name}-1", model: body.model, output_text: words.join(""), stop_reason: "end", usage });
      const frames = [...words.map((delta) => ({ delta })), { done: true, stop_reason: "end", usage }].map((data) => \`data: \${JSON.stringify(data)}\\n\\n\`);
      return streamFrames(frames, { dropAfter: failure?.kind === "disconnect" ? failure.afterChunks : undefined });
    },
  });
}
`;
}

export function providerTest({ name }: Skeleton): string {
  return `// The provider contract keyway's built-in adapters pass, run on this plugin against its mock.
import { runProviderContract } from "keyway/plugin/testing";
import provider from "./${name}-provider.ts";
import { start${pascal(name)}Mock } from "./mock.ts";

const KEY = "${name}-0123456789abcdef0123";

runProviderContract({
  adapter: provider,
  key: KEY,
  model: "${name}-small",
  mock: () => start${pascal(name)}Mock(KEY),
  skip: { tools: "the skeleton does not translate tool calls yet" },
});
`;
}

export function strategySource({ name }: Skeleton): string {
  return `// A keyway routing strategy plugin: healthy providers first, fastest (p50) first, keys cooling down after a 429 last.
// Name this file in keyway.yaml: routing: { strategies: { ${name}: ./${name}-strategy.ts } }
// \`plan\` may be async; its answer must be a subset of the candidates it was given, unchanged, in any order.
import { type Candidate, defineStrategy, payingKeys } from "keyway/plugin";

const score = (candidate: Candidate) => {
  const health = candidate.health;
  const sick = health?.healthy === false ? 1 : 0;
  const cooling = health?.key?.coolingDown ? 1 : 0;
  return [sick, cooling, health?.latencyMs ?? Number.MAX_SAFE_INTEGER];
};

export default defineStrategy({
  name: "${name}",
  async plan(request, candidates) {
    const paying = payingKeys(request, candidates);
    return [...paying].sort((a, b) => {
      const [x, y] = [score(a), score(b)];
      return (x[0] ?? 0) - (y[0] ?? 0) || (x[1] ?? 0) - (y[1] ?? 0) || (x[2] ?? 0) - (y[2] ?? 0);
    });
  },
});
`;
}

export function strategyTest({ name }: Skeleton): string {
  return `// The strategy's order on made-up candidates: what keyway hands plan() on each request.
import { expect, test } from "bun:test";
import type { Candidate, CandidateHealth, RoutingRequest } from "keyway/plugin";
import strategy from "./${name}-strategy.ts";

const request: RoutingRequest = { endpoint: "chat", model: "fast", strategy: "${name}", useByokOnly: false, fallbackToPlatform: false };
const candidate = (provider: string, health: CandidateHealth): Candidate => ({ provider, adapter: provider, model: "m", keySource: "stored", keyRef: \`\${provider}-key\`, health });

test("healthy before unhealthy, keys cooling down after the others, then the fastest first", async () => {
  const plan = await strategy.plan(request, [
    candidate("slow", { healthy: true, latencyMs: 900 }),
    candidate("sick", { healthy: false, latencyMs: 50 }),
    candidate("fast", { healthy: true, latencyMs: 100 }),
    candidate("cooling", { healthy: true, latencyMs: 10, key: { coolingDown: true } }),
  ]);
  expect(plan.map((c) => c.provider)).toEqual(["fast", "slow", "cooling", "sick"]);
});
`;
}

function pascal(name: string): string {
  return name.split("-").map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join("");
}
