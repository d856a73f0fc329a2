// Stages "read" and "policy" with fakes: keyway's fields split off, per-request keys refused where not taken,
// the team policy asked with the upstream body and kept on the context.
import { describe, expect, test } from "bun:test";
import { GatewayError } from "../../../src/core/errors.ts";
import { applyPolicy } from "../../../src/gateway/stages/policy.ts";
import { readCall } from "../../../src/gateway/stages/read-call.ts";
import { contextOf, testCall, testConfig } from "./fakes.ts";

const KEY = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789";

describe("readCall", () => {
  test("splits keyway's fields from the upstream body and keeps the request key, leaving the client's body whole", () => {
    const body = { model: "openai/gpt-4o", messages: [], byok_api_key: KEY, provider: "openai", routing: { strategy: "direct" } };
    const ctx = readCall(contextOf(testCall(body)), { config: testConfig() });
    expect(ctx.upstream).toEqual({ model: "openai/gpt-4o", messages: [] });
    expect(ctx.fields).toEqual({ requestKey: KEY, provider: "openai", routing: { strategy: "direct" } });
    expect(ctx.requestKey).toBe(KEY);
    expect(body.byok_api_key).toBe(KEY);
  });

  test("the upstream body keeps every other field in its order, a `__proto__` field as an own field, and the prototype untouched", () => {
    const body = JSON.parse('{"temperature":0.5,"__proto__":{"polluted":true},"byok_api_key":"sk-x","model":"gpt-4o","routing":{},"messages":[]}');
    const ctx = readCall(contextOf(testCall(body)), { config: testConfig() });
    expect(JSON.stringify(ctx.upstream)).toBe('{"temperature":0.5,"__proto__":{"polluted":true},"model":"gpt-4o","messages":[]}');
    expect(Object.getPrototypeOf(ctx.upstream)).toBe(Object.prototype);
    expect((ctx.upstream as { polluted?: unknown }).polluted).toBeUndefined();
  });

  test("the X-BYOK-API-Key header stands in for byok_api_key", () => {
    const ctx = readCall(contextOf(testCall({ model: "gpt-4o" }, { "x-byok-api-key": ` ${KEY} ` })), { config: testConfig() });
    expect(ctx.requestKey).toBe(KEY);
  });

  test("a per-request key where the gateway takes none is refused naming byok_api_key; the key is still known for redaction", () => {
    const config = testConfig({ security: { allow_per_request_keys: false } });
    const ctx = contextOf(testCall({ model: "gpt-4o", byok_api_key: KEY }));
    const error = (() => {
      try {
        readCall(ctx, { config });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe("invalid_request");
    expect((error as GatewayError).param).toBe("byok_api_key");
    expect(ctx.requestKey).toBe(KEY);
  });
});

describe("applyPolicy", () => {
  test("asks the policy with the body sent upstream and keeps its answer on the context", async () => {
    const asked: Record<string, unknown>[] = [];
    const read = readCall(contextOf(testCall({ model: "gpt-4o", byok_api_key: KEY })), { config: testConfig() });
    const policed = await applyPolicy(read, {
      policy: async (_call, body) => {
        asked.push(body);
        return { storedKeysAllowed: false, projectTag: "alpha" };
      },
    });
    expect(asked).toEqual([{ model: "gpt-4o" }]);
    expect(policed.policy).toEqual({ storedKeysAllowed: false, projectTag: "alpha" });
  });

  test("a refusal of the policy is the stage's error, and no policy is set", async () => {
    const read = readCall(contextOf(testCall({ model: "gpt-4o" })), { config: testConfig() });
    const refusal = new GatewayError("model_not_allowed", "the team forbids this model");
    await expect(applyPolicy(read, { policy: async () => { throw refusal; } })).rejects.toBe(refusal);
    expect(read.policy).toBeUndefined();
  });
});
