import { afterAll, afterEach, beforeAll, describe, expect, setSystemTime, test } from "bun:test";
import { Webhook } from "standardwebhooks";
import { knownNames } from "../../src/cli/known-names.ts";
import { ConfigError } from "../../src/config/errors.ts";
import { loadConfigFrom } from "../../src/config/load.ts";
import { createLogger } from "../../src/telemetry/logger.ts";
import { privateTarget } from "../../src/notify/webhook-target.ts";
import { createWebhooks, type WebhookAttempt } from "../../src/notify/webhooks.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";

interface Delivery {
  body: string;
  headers: Record<string, string>;
}

const WHSEC = `whsec_${Buffer.from("a-standard-webhooks-secret-of-32b").toString("base64")}`;
const deliveries: Delivery[] = [];
const redirected: Delivery[] = [];
let receiver: ReturnType<typeof Bun.serve>;
let target: ReturnType<typeof Bun.serve>;

beforeAll(() => {
  target = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: async (req) => {
      redirected.push({ body: await req.text(), headers: Object.fromEntries(req.headers) });
      return new Response("ok");
    },
  });
  receiver = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: async (req) => {
      if (new URL(req.url).pathname === "/moved") return Response.redirect(`http://127.0.0.1:${target.port}/elsewhere`, 307);
      deliveries.push({ body: await req.text(), headers: Object.fromEntries(req.headers) });
      return new Response("ok");
    },
  });
});
afterAll(() => {
  receiver.stop(true);
  target.stop(true);
});
afterEach(() => {
  setSystemTime();
});

function hooks(secret: string, allowPrivateNetworks: boolean, logs: string[] = []) {
  return createWebhooks({ secret, allowPrivateNetworks, logger: createLogger("debug", (l) => logs.push(l)), attempts: 2, backoffMs: 10 });
}

describe("webhook signatures (Standard Webhooks)", () => {
  test("a delivery carries webhook-id, webhook-timestamp and webhook-signature that the library verifies; a replay does not", async () => {
    const webhooks = hooks(WHSEC, true);
    webhooks.send([`http://127.0.0.1:${receiver.port}/hook`], { type: "provider_key.rotated", provider: "openai" });
    await webhooks.settle();
    const delivery = deliveries.at(-1) as Delivery;
    expect(delivery.headers["webhook-id"]).toMatch(/^msg_/);
    expect(Math.abs(Number(delivery.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(5);
    expect(delivery.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(delivery.headers["x-keyway-signature"]).toBeUndefined();
    expect(delivery.headers["x-keyway-event"]).toBe("provider_key.rotated");
    const verifier = new Webhook(WHSEC);
    expect(verifier.verify(delivery.body, delivery.headers)).toMatchObject({ type: "provider_key.rotated", provider: "openai" });

    // Another message id, or the same delivery with a fresh timestamp: the signature no longer matches.
    expect(() => verifier.verify(delivery.body, { ...delivery.headers, "webhook-id": "msg_replayed" })).toThrow("No matching signature found");
    const now = String(Math.floor(Date.now() / 1000) + 60);
    expect(() => verifier.verify(delivery.body, { ...delivery.headers, "webhook-timestamp": now })).toThrow("No matching signature found");
    // The captured delivery replayed ten minutes later: too old.
    setSystemTime(new Date(Date.now() + 10 * 60_000));
    expect(() => verifier.verify(delivery.body, delivery.headers)).toThrow("Message timestamp too old");
  });

  test("a plain webhook_secret signs with its UTF-8 bytes: receivers verify with whsec_ + base64 of it", async () => {
    const legacy = "webhook-secret-for-tests-0001";
    const webhooks = hooks(legacy, true);
    webhooks.send([`http://127.0.0.1:${receiver.port}/legacy`], { type: "provider_key.rotation_due" });
    await webhooks.settle();
    const delivery = deliveries.at(-1) as Delivery;
    const verifier = new Webhook(`whsec_${Buffer.from(legacy, "utf8").toString("base64")}`);
    expect(verifier.verify(delivery.body, delivery.headers)).toMatchObject({ type: "provider_key.rotation_due" });
  });

  test("redirects are not followed", async () => {
    const logs: string[] = [];
    const webhooks = hooks(WHSEC, true, logs);
    const before = redirected.length;
    webhooks.send([`http://127.0.0.1:${receiver.port}/moved`], { type: "provider_key.rotated" });
    await webhooks.settle();
    expect(redirected.length).toBe(before);
    expect(logs.filter((l) => l.includes("webhook refused") && l.includes('"status":307'))).toHaveLength(2);
    expect(logs.some((l) => l.includes("webhook gave up"))).toBe(true);
  });
});

describe("webhook targets in private networks", () => {
  test.each([
    ["http://127.0.0.1:9/hook", "127.0.0.1", "loopback"],
    ["http://10.1.2.3/hook", "10.1.2.3", "private"],
    ["http://172.16.0.1/hook", "172.16.0.1", "private"],
    ["http://192.168.1.1/hook", "192.168.1.1", "private"],
    ["http://169.254.169.254/latest/meta-data", "169.254.169.254", "linkLocal"],
    ["http://100.64.0.1/", "100.64.0.1", "carrierGradeNat"],
    ["http://0.0.0.0/", "0.0.0.0", "unspecified"],
    ["http://2130706433/", "127.0.0.1", "loopback"],
    ["http://[::1]/", "::1", "loopback"],
    ["http://[::]/", "::", "unspecified"],
    ["http://[fe80::1]/", "fe80::1", "linkLocal"],
    ["http://[fd12:3456::1]/", "fd12:3456::1", "uniqueLocal"],
    ["http://[::ffff:127.0.0.1]/", "127.0.0.1", "loopback"],
    ["http://[::ffff:a00:1]/", "10.0.0.1", "private"],
    ["http://[64:ff9b::a00:1]/", "64:ff9b::a00:1", "rfc6052"],
  ])("%s is refused (%s, %s)", async (url, address, range) => {
    expect(await privateTarget(url)).toEqual({ address, range });
  });

  test("a host name is resolved and every address checked (localhost)", async () => {
    const found = await privateTarget("http://localhost:8080/hook");
    expect(found?.range).toBe("loopback");
  });

  test("public addresses pass", async () => {
    expect(await privateTarget("https://93.184.216.34/hook")).toBeUndefined();
    expect(await privateTarget("https://[2606:4700:4700::1111]/hook")).toBeUndefined();
  });

  test("at delivery: a private target is refused and logged, nothing is sent", async () => {
    const logs: string[] = [];
    const webhooks = hooks(WHSEC, false, logs);
    const before = deliveries.length;
    webhooks.send([`http://127.0.0.1:${receiver.port}/hook`], { type: "provider_key.rotated" });
    await webhooks.settle();
    expect(deliveries.length).toBe(before);
    const line = logs.find((l) => l.includes("webhook not sent"));
    expect(line).toContain("loopback");
    expect(line).toContain("security.webhook_allow_private_networks");
  });
});

describe("attempt outcomes (for callers that keep a record)", () => {
  test("a redirect is a failed attempt each time, the last one final; a private target is blocked at once; a 2xx delivered", async () => {
    const seen: WebhookAttempt[] = [];
    const observe = (attempt: WebhookAttempt) => {
      seen.push(attempt);
    };
    const moved = hooks(WHSEC, true);
    moved.send([`http://127.0.0.1:${receiver.port}/moved`], { type: "alert.fired" }, observe);
    const allowed = hooks(WHSEC, true);
    allowed.send([`http://127.0.0.1:${receiver.port}/fine`], { type: "alert.fired" }, observe);
    const strict = hooks(WHSEC, false);
    strict.send([`http://127.0.0.1:${receiver.port}/private`], { type: "alert.fired" }, observe);
    await Promise.all([moved.settle(), allowed.settle(), strict.settle()]);
    const of = (path: string) => seen.filter((a) => a.url.endsWith(path)).map((a) => [a.attempt, a.outcome, a.status ?? null, a.final]);
    expect(of("/moved")).toEqual([[1, "failed", 307, false], [2, "failed", 307, true]]);
    expect(of("/fine")).toEqual([[1, "delivered", 200, true]]);
    expect(of("/private")).toEqual([[1, "blocked", null, true]]);
    expect(seen.find((a) => a.url.endsWith("/private"))?.detail).toContain("private network");
  });

  test("without a secret nothing is sent and each URL is reported blocked", async () => {
    const seen: WebhookAttempt[] = [];
    const unsigned = createWebhooks({ secret: undefined, allowPrivateNetworks: true, logger: createLogger("error", () => {}) });
    unsigned.send([`http://127.0.0.1:${receiver.port}/a`], { type: "alert.fired" }, (a) => {
      seen.push(a);
    });
    await unsigned.settle();
    expect(seen.map((a) => [a.outcome, a.detail])).toEqual([["blocked", "security.webhook_secret is not set"]]);
  });
});

describe("webhook settings", () => {
  test("a whsec_ secret must be base64 of 24 to 64 bytes; a plain one stays accepted", () => {
    const load = (secret: string) => loadConfigFrom({ security: { webhook_secret: secret } }, "k.yaml", {}, knownNames);
    expect(() => load("whsec_not*base64*at*all*really")).toThrow(ConfigError);
    expect(() => load(`whsec_${Buffer.from("ten-bytes!").toString("base64")}`)).toThrow(/security\.webhook_secret: .*24 to 64 bytes/);
    expect(load(WHSEC).config.security.webhook_secret).toBe(WHSEC);
    expect(load("a-plain-secret-of-sixteen").config.security.webhook_allow_private_networks).toBe(false);
  });

  describe("the API refuses webhook URLs in private networks unless allowed", () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startGateway({ security: { webhook_secret: WHSEC } });
    });
    afterAll(async () => {
      await gw.stop();
    });

    test("rotation-schedule and rotate answer 400 naming the URL, the address and the setting", async () => {
      for (const [path, body] of [
        ["/v1/providers/keys/rotation-schedule", { provider: "openai", schedule: "0 0 1 * *", notification_webhooks: ["https://93.184.216.34/ok", "http://localhost:9/hook"] }],
        ["/v1/providers/keys/rotate", { provider: "openai", new_api_key: "sk-proj-new000000000000", notification_webhooks: ["https://93.184.216.34/ok", "http://[::ffff:10.0.0.1]/hook"] }],
      ] as const) {
        const res = await gw.post(path, body);
        expect(res.status).toBe(400);
        const { error } = await res.json();
        expect(error.code).toBe("invalid_request");
        expect(error.param).toBe("notification_webhooks[1]");
        expect(error.message).toContain("private");
        expect(error.message).toContain("security.webhook_allow_private_networks");
      }
    });
  });
});
