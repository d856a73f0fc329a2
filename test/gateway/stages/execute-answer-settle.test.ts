// Stages "admit and execute", "answer" and "settle" with a fake upstream transport, fake key sources and recorders:
// fallback across keys, one health outcome per attempt, admission per candidate, the answer and its usage row.
import { describe, expect, test } from "bun:test";
import { GatewayError } from "../../../src/core/errors.ts";
import type { KeySource } from "../../../src/plugins/sdk.ts";
import type { KeySourceDriver } from "../../../src/core/key-source.ts";
import { answerCall } from "../../../src/gateway/stages/answer.ts";
import { admitAndExecute } from "../../../src/gateway/stages/execute.ts";
import { planCandidates } from "../../../src/gateway/stages/plan.ts";
import { applyPolicy } from "../../../src/gateway/stages/policy.ts";
import { readCall } from "../../../src/gateway/stages/read-call.ts";
import { recordFailure } from "../../../src/gateway/stages/settle.ts";
import { builtInStrategies } from "../../../src/routing/builtin.ts";
import { chatCompletion, contextOf, fakeSource, fakeUpstream, json, OPENAI_URL, recorders, testCall, testConfig, testProviders, tracing } from "./fakes.ts";

const config = testConfig();
const providers = testProviders(config);

async function planned(body: Record<string, unknown>, sources: KeySourceDriver[], headers: Record<string, string> = {}) {
  const ctx = contextOf(testCall(body, headers));
  const read = readCall(ctx, { config });
  const policed = await applyPolicy(read, { policy: async () => ({ storedKeysAllowed: true }) });
  return { ctx, planned: await planCandidates(policed, { config, providers, strategies: builtInStrategies, sources, defaultModel: async () => undefined }) };
}

function executeDeps(sources: KeySourceDriver[], transport: ReturnType<typeof fakeUpstream>["transport"], rec = recorders(), reserves = true) {
  const admitted: { candidate: string; approvalId?: string }[] = [];
  return {
    rec,
    admitted,
    deps: {
      providers,
      sourceOf: new Map<KeySource, KeySourceDriver>(sources.map((s) => [s.source, s])),
      health: rec.health,
      transport,
      retries: 0,
      tracing,
      admission: {
        reserves: () => reserves,
        admit: async (request: { candidate: { keyRef: string }; approvalId?: string }) => {
          admitted.push({ candidate: request.candidate.keyRef, approvalId: request.approvalId });
          return undefined;
        },
      },
    },
  };
}

describe("admitAndExecute", () => {
  test("a 5xx falls back to the next key: each key goes to its provider's URL only, one health outcome per attempt", async () => {
    const stored = fakeSource("stored", { openai: ["sk-first-key-0000000000000000", "sk-second-key-000000000000000"] });
    const upstream = fakeUpstream(json({ error: { message: "overloaded sk-first-key-0000000000000000" } }, 503), json(chatCompletion("hi")));
    const { planned: ctx } = await planned({ model: "openai/gpt-4o", messages: [{ role: "user", content: "x" }] }, [stored.driver], { "x-approval-id": " ap_1 " });
    const { deps, rec, admitted } = executeDeps([stored.driver], upstream.transport);
    const executed = await admitAndExecute(ctx, deps);
    expect(executed.execution.attempts).toBe(2);
    expect(executed.execution.attempt.candidate.keyRef).toBe("openai#1");
    expect(upstream.sent.map((s) => [s.url, s.headers.get("authorization"), s.redirect])).toEqual([
      [`${OPENAI_URL}/chat/completions`, "Bearer sk-first-key-0000000000000000", "manual"],
      [`${OPENAI_URL}/chat/completions`, "Bearer sk-second-key-000000000000000", "manual"],
    ]);
    expect(rec.outcomes.map((o) => [o.candidate.keyRef, o.accountId, o.ok, o.kind, o.status])).toEqual([
      ["openai#0", "acct_1", false, "server_error", 503],
      ["openai#1", "acct_1", true, undefined, 200],
    ]);
    expect(stored.reports.map((r) => [r.ref, r.outcome.ok])).toEqual([["openai#0", false], ["openai#1", true]]);
    expect(admitted).toEqual([{ candidate: "openai#0", approvalId: "ap_1" }, { candidate: "openai#1", approvalId: "ap_1" }]);
  });

  test("a candidate whose admission reserves nothing is not admitted at all", async () => {
    const stored = fakeSource("stored", { openai: ["sk-only-key-00000000000000000"] });
    const upstream = fakeUpstream(json(chatCompletion("hi")));
    const { planned: ctx } = await planned({ model: "openai/gpt-4o", messages: [{ role: "user", content: "x" }] }, [stored.driver]);
    const { deps, admitted } = executeDeps([stored.driver], upstream.transport, recorders(), false);
    const executed = await admitAndExecute(ctx, deps);
    expect(executed.execution.attempt.admission).toBeUndefined();
    expect(executed.execution.attempt.candidate.keyRef).toBe("openai#0");
    expect(admitted).toEqual([]);
  });

  test("a redirect is never followed: upstream_error naming the host only, the key out of every attempt's reason", async () => {
    const stored = fakeSource("stored", { openai: ["sk-only-key-00000000000000000"] });
    const upstream = fakeUpstream(() => new Response(null, { status: 302, headers: { location: "http://evil.test/steal?k=1" } }));
    const { planned: ctx } = await planned({ model: "openai/gpt-4o", messages: [] }, [stored.driver]);
    const { deps, rec } = executeDeps([stored.driver], upstream.transport);
    const error = await admitAndExecute(ctx, deps).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe("upstream_error");
    expect((error as GatewayError).message).toContain("'evil.test'");
    expect((error as GatewayError).message).not.toContain("steal");
    expect(JSON.stringify((error as GatewayError).attempts)).not.toContain("sk-only-key");
    expect(upstream.sent.length).toBe(1);
    expect(rec.outcomes.map((o) => [o.ok, o.kind, o.status])).toEqual([[false, "server_error", 0]]);
  });
});

describe("answerCall and the settlement", () => {
  test("a JSON answer carries usage, cost and byok_api_key; its usage row is written once", async () => {
    const stored = fakeSource("stored", { openai: ["sk-only-key-00000000000000000"] });
    const upstream = fakeUpstream(json(chatCompletion("hello")));
    const { planned: ctx } = await planned({ model: "openai/gpt-4o", messages: [{ role: "user", content: "x" }] }, [stored.driver]);
    const { deps, rec } = executeDeps([stored.driver], upstream.transport);
    const executed = await admitAndExecute(ctx, deps);
    const response = await answerCall(executed, { config, usage: rec.usage, logger: rec.logger, requestLogs: rec.requestLogWriter, metrics: undefined });
    expect(response.headers.get("x-request-id")).toBe("req_1");
    expect(response.headers.get("x-keyway-attempts")).toBe("1");
    const body = await response.json();
    expect(body.choices[0].message.content).toBe("hello");
    expect(body.byok_api_key).toBe(true);
    expect(body.usage).toEqual({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, cost: 0 });
    expect(rec.usageRows).toHaveLength(1);
    expect(rec.usageRows[0]).toMatchObject({ requestId: "req_1", accountId: "acct_1", provider: "openai", model: "gpt-4o", keySource: "stored", byok: true, status: 200, inputTokens: 10, outputTokens: 5, costMicros: 0, attempts: 1 });
  });

  test("a failure is recorded with its status and last attempt; a logging team's log has the request key redacted", async () => {
    const key = "sk-proj-requestkey0123456789abcdefghij";
    const rec = recorders();
    const ctx = contextOf(testCall({ model: "openai/gpt-4o", byok_api_key: key, messages: [{ role: "user", content: key }] }));
    const read = readCall(ctx, { config });
    read.policy = { storedKeysAllowed: true, team: { team: { id: "team_1" }, controls: { log_all_requests: true } } } as unknown as typeof read.policy;
    const error = new GatewayError("upstream_error", `refused ${key}`, {
      attempts: [{ provider: "openai", model: "gpt-4o", key_source: "request", status: 401, reason: "auth: bad key" }],
    });
    await recordFailure(ctx, error, { usage: rec.usage, logger: rec.logger, requestLogs: rec.requestLogWriter, metrics: undefined });
    expect(rec.usageRows[0]).toMatchObject({ requestId: "req_1", provider: "openai", keySource: "request", byok: true, status: 502, attempts: 1, teamId: "team_1" });
    expect(rec.requestLogs).toHaveLength(1);
    expect(JSON.stringify(rec.requestLogs[0])).not.toContain(key);
    expect(JSON.stringify(rec.logged)).not.toContain(key);
  });
});
