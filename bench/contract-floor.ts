// The floor for keyway's contract: what every plain chat call through keyway must do whatever its configuration,
// written as directly as this runtime allows, so that what keyway spends beyond it is its own. Beyond the metering
// floor (metering-proxy.ts): a request id, the keyway key checked by its digest, the body parsed and checked against
// keyway's chat schema, keyway's `provider/model` and `byok_api_key` taken out and the upstream body written again,
// the attempt's timeout, `usage.cost` and `byok_api_key` in the answer, keyway's five answer headers, and keyway's
// usage row (every field keyway fills for such a call), the answer waiting for it. No routing, key sources, team
// policy, admission, health, plugins, spans, metrics or logs: the features keyway's pipeline carries on top.
// Non-stream chat only. `UPSTREAM=http://127.0.0.1:N ADMIN_KEY=K BUN_CONFIG_MAX_HTTP_REQUESTS=65535 bun bench/contract-floor.ts --db PATH [--port N]`;
// prints {"port":N}.
import { digestKey } from "../src/accounts/key-material.ts";
import { bodyValidator } from "../src/dialects/body-check.ts";
import { ChatBody } from "../src/dialects/openai-chat/schemas.ts";
import { withoutKeywayFields } from "../src/gateway/request-fields.ts";
import { presentedKey } from "../src/server/authenticate.ts";
import { openStore } from "../src/store/sqlite/open-store.ts";
import { createLogger } from "../src/telemetry/logger.ts";
import { microsToUsd } from "../src/usage/money.ts";
import { costMicros, type Price } from "../src/usage/prices.ts";
import { createUsageRecorder } from "../src/usage/recorder.ts";
import { tokenDetails } from "../src/usage/token-details.ts";
import type { Usage as UsageFields } from "../src/plugins/sdk.ts";
import { flag } from "./lib/flags.ts";

const upstream = process.env.UPSTREAM ?? "http://127.0.0.1:8081";
const adminKey = process.env.ADMIN_KEY ?? "";
const dbPath = flag("db", "");
if (!dbPath || !adminKey) throw new Error("--db PATH and ADMIN_KEY are required");
const recorder = createUsageRecorder(openStore(dbPath).usage, createLogger("warn"));
const keys = new Map([[digestKey(adminKey), { accountId: "acct_contract", keyId: "key_admin" }]]);
const prices = new Map<string, Price>();
const checkChat = bodyValidator(ChatBody);
const TIMEOUT_MS = 600_000;

type Usage = UsageFields & { cost?: number };

function refused(status: number, message: string, requestId: string): Response {
  return Response.json({ error: { message, type: "invalid_request_error", param: null, code: "invalid_request" } }, { status, headers: { "x-request-id": requestId } });
}

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: Number(flag("port", "0")),
  idleTimeout: 255,
  routes: {
    "/v1/chat/completions": {
      async POST(request) {
        const startedAt = Date.now();
        const requestId = request.headers.get("x-request-id") ?? crypto.randomUUID();
        const presented = presentedKey(request);
        const principal = presented === undefined ? undefined : keys.get(digestKey(presented));
        if (!principal) return refused(401, "Invalid keyway key.", requestId);
        let body: Record<string, unknown>;
        try {
          body = checkChat(JSON.parse(await request.text())) as Record<string, unknown>;
        } catch (error) {
          return refused(400, error instanceof Error ? error.message : String(error), requestId);
        }
        const key = body.byok_api_key;
        const rest = withoutKeywayFields(body);
        const named = String(rest.model);
        const slash = named.indexOf("/");
        const provider = slash === -1 ? "openai" : named.slice(0, slash);
        const model = slash === -1 ? named : named.slice(slash + 1);
        const answer = await fetch(`${upstream}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${String(key)}`, "content-type": "application/json" },
          body: JSON.stringify({ ...rest, model }),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        const json = (await answer.json()) as { model?: string; usage?: Usage };
        const inputTokens = json.usage?.prompt_tokens ?? 0;
        const outputTokens = json.usage?.completion_tokens ?? 0;
        await recorder.record({
          requestId,
          accountId: principal.accountId,
          apiKeyId: principal.keyId,
          teamId: null,
          projectTag: null,
          endpoint: "chat",
          provider,
          model,
          keySource: "request",
          byok: true,
          status: answer.status,
          inputTokens,
          outputTokens,
          usageEstimated: false,
          costMicros: 0,
          estimatedCostMicros: costMicros(prices.get(`${provider}/${model}`), inputTokens, outputTokens),
          ...tokenDetails(json.usage),
          attempts: 1,
          latencyMs: Date.now() - startedAt,
          createdAt: Date.now(),
        });
        if (json.usage) json.usage = { ...json.usage, cost: microsToUsd(0) };
        const headers = {
          "content-type": "application/json",
          "x-request-id": requestId,
          "x-keyway-attempts": "1",
          "x-provider-used": provider,
          "x-byok-used": "true",
          "x-ratelimit-bypass": "BYOK API key used",
        };
        return new Response(JSON.stringify({ ...json, byok_api_key: true }), { status: answer.status, headers });
      },
    },
  },
  fetch: () => new Response("not found", { status: 404 }),
});
// Ends by exiting, so that a profile taken with `bun --cpu-prof` is written (scenario k).
process.on("SIGTERM", () => process.exit(0));
console.log(JSON.stringify({ port: server.port }));
