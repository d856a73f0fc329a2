// The shared upstream fetch (header values checked before sending, redirects never followed), the request-key
// check, and the one rule for whose fault a failed attempt is.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { GatewayError } from "../../src/core/errors.ts";
import { splitKeywayFields } from "../../src/gateway/request-fields.ts";
import { blameFor } from "../../src/health/blame.ts";
import { failureFromThrown } from "../../src/providers/failure.ts";
import { UnsendableHeader, UpstreamRedirect, upstreamFetch } from "../../src/providers/upstream-fetch.ts";

let server: ReturnType<typeof Bun.serve>;
const seen: string[] = [];
let base = "";

beforeAll(() => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const path = new URL(request.url).pathname;
      seen.push(path);
      if (path === "/relative") return new Response(null, { status: 302, headers: { location: "/elsewhere?sig=abc" } });
      if (path === "/no-location") return new Response(null, { status: 308 });
      if (path === "/not-modified") return new Response(null, { status: 304 });
      return new Response("fine", { status: 200 });
    },
  });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.stop(true));

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => undefined, (error: unknown) => error);
}

describe("upstreamFetch", () => {
  test("a header value fetch would refuse is refused before anything is sent, naming the header only", async () => {
    const before = seen.length;
    for (const value of ["Bearer sk-a\r\nb", "Bearer sk-a\u0000b", "Bearer sk-\u65e5", "Bearer sk-\u0001"]) {
      const error = await thrown(upstreamFetch(`${base}/ok`, { headers: { authorization: value } }));
      expect(error).toBeInstanceOf(UnsendableHeader);
      expect((error as UnsendableHeader).header).toBe("authorization");
      expect((error as Error).message).not.toContain("sk-");
    }
    expect(seen.length).toBe(before);
    const fine = await upstreamFetch(`${base}/ok`, { headers: { authorization: "Bearer sk-\u00e9\ttab" } });
    expect(await fine.text()).toBe("fine");
  });

  test("every 3xx is an UpstreamRedirect naming only the location's host; nothing is followed", async () => {
    const relative = await thrown(upstreamFetch(`${base}/relative`, { headers: {} }));
    expect(relative).toBeInstanceOf(UpstreamRedirect);
    expect((relative as UpstreamRedirect).status).toBe(302);
    expect((relative as UpstreamRedirect).locationHost).toBe(`127.0.0.1:${server.port}`);
    expect((relative as Error).message).not.toContain("sig=");
    const none = await thrown(upstreamFetch(`${base}/no-location`, { headers: {} }));
    expect((none as Error).message).toContain("answered 308, a redirect to no usable location");
    expect(await thrown(upstreamFetch(`${base}/not-modified`, { headers: {} }))).toBeInstanceOf(UpstreamRedirect);
    expect(seen.filter((p) => p === "/elsewhere")).toEqual([]);
  });

  test("what a thrown fetch means: unsendable is the caller's bad_request, a redirect or an outage the provider's", () => {
    expect(failureFromThrown(new UnsendableHeader("x-api-key", "bad"), "api.example", [])).toMatchObject({ kind: "bad_request", unsent: true });
    expect(failureFromThrown(new UpstreamRedirect(307, "evil.example"), "api.example", [])).toEqual({
      kind: "server_error",
      message: "api.example answered 307, a redirect to 'evil.example'; keyway never follows upstream redirects (check the provider's base_url)",
    });
    const outage = failureFromThrown(new TypeError("refused for sk-proj-secret1234567"), "api.example", ["sk-proj-secret1234567"]);
    expect(outage.kind).toBe("server_error");
    expect(outage.message).not.toContain("secret1234567");
  });
});

describe("the request key", () => {
  test("from the body or the X-BYOK-API-Key header, one no header can carry is invalid_request on byok_api_key", () => {
    for (const [body, header] of [[{ byok_api_key: "sk-a\r\nb" }, null], [{}, "sk-a\u0000b"], [{ byok_api_key: "sk-\u65e5\u672c" }, null]] as const) {
      let error: unknown;
      try {
        splitKeywayFields({ model: "m", ...body }, header);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({ code: "invalid_request", status: 400, param: "byok_api_key" });
      expect((error as Error).message).not.toContain("sk-");
    }
    expect(splitKeywayFields({ byok_api_key: "sk-fine" }, null).fields.requestKey).toBe("sk-fine");
  });
});

describe("whose fault a failure is", () => {
  test("the caller's (never recorded), a stored key's (on that key only), or the provider's", () => {
    expect(blameFor("bad_request", "platform")).toBe("caller");
    expect(blameFor("bad_request", "request")).toBe("caller");
    expect(blameFor("auth", "request")).toBe("caller");
    expect(blameFor("auth", "stored")).toBe("key");
    expect(blameFor("auth", "platform")).toBe("provider");
    for (const kind of ["server_error", "timeout", "rate_limit", "model_not_available"] as const) expect(blameFor(kind, "request")).toBe("provider");
  });
});
