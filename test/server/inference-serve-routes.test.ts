// The data-plane routes as Bun.serve route handlers (answered by Bun's router ahead of the control plane): a request without Host is refused,
// and whatever escapes the handler is answered in the dialect's error shape, never as the runtime's own error page.
import { describe, expect, test } from "bun:test";
import type { AppDeps } from "../../src/server/context.ts";
import { inferenceServeRoutes } from "../../src/server/routes/inference.ts";
import { indoxRouterServeRoutes } from "../../src/server/routes/indoxrouter-inference.ts";
import { createLogger } from "../../src/telemetry/logger.ts";

function routesWith(gateway: Partial<AppDeps["gateway"]>, build: (deps: AppDeps) => ReturnType<typeof inferenceServeRoutes> = inferenceServeRoutes) {
  const lines: string[] = [];
  const deps = { gateway, logger: createLogger("info", (line) => lines.push(line)) } as unknown as AppDeps;
  return { routes: build(deps), lines };
}

const post = (path: string, headers: Record<string, string>) =>
  new Request(`http://keyway.test${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: "{}" });

describe("inferenceServeRoutes", () => {
  test("every data-plane path answers POST", () => {
    const { routes } = routesWith({});
    expect(Object.keys(routes)).toEqual(expect.arrayContaining(["/v1/chat/completions", "/v1/messages", "/v1/responses", "/v1/embeddings"]));
    for (const route of Object.values(routes)) expect(Object.keys(route)).toEqual(["POST"]);
  });

  test("an error escaping the handler is a 500 in the client's dialect, logged once, with the request id", async () => {
    const { routes, lines } = routesWith({
      serverSpan: () => {
        throw new Error("tracer exploded");
      },
    });
    const openai = await routes["/v1/chat/completions"]?.POST?.(post("/v1/chat/completions", { host: "keyway.test", "x-request-id": "req-1" }), null);
    expect(openai?.status).toBe(500);
    expect(openai?.headers.get("x-request-id")).toBe("req-1");
    const body = await openai?.json();
    expect(body.error.code).toBe("internal_error");
    expect(body.error.message).not.toContain("tracer exploded");
    const anthropic = await routes["/v1/messages"]?.POST?.(post("/v1/messages", { host: "keyway.test" }), null);
    expect(anthropic?.status).toBe(500);
    const anthropicBody = await anthropic?.json();
    expect(anthropicBody.type).toBe("error");
    expect(anthropicBody.error.type).toBe("api_error");
    expect(lines.filter((line) => line.includes("unexpected error"))).toHaveLength(2);
    expect(lines.join("\n")).toContain("tracer exploded");
  });

  test("a request without Host is refused before the handler runs", async () => {
    let ran = false;
    const { routes } = routesWith({
      serverSpan: () => {
        ran = true;
        throw new Error("should not run");
      },
    });
    const request = post("/v1/chat/completions", {});
    request.headers.delete("host");
    const res = await routes["/v1/chat/completions"]?.POST?.(request, null);
    expect(res?.status).toBe(400);
    const body = await res?.json();
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.message).toContain("Host");
    expect(ran).toBe(false);
  });

  test("IndoxRouter's inference paths answer POST, and an escaping error in IndoxRouter's shape; they need no Host, as the control plane never asked", async () => {
    const { routes, lines } = routesWith(
      {
        serverSpan: () => {
          throw new Error("tracer exploded");
        },
      },
      indoxRouterServeRoutes,
    );
    expect(Object.keys(routes)).toEqual(expect.arrayContaining(["/api/v1/chat/completions", "/api/v1/embeddings", "/api/v1/audio/tts/generations"]));
    const request = post("/api/v1/chat/completions", { "x-request-id": "req-i" });
    request.headers.delete("host");
    const res = await routes["/api/v1/chat/completions"]?.POST?.(request, null);
    expect(res?.status).toBe(500);
    expect(res?.headers.get("x-request-id")).toBe("req-i");
    const body = await res?.json();
    expect(body.code).toBe("internal_error");
    expect(typeof body.detail).toBe("string");
    expect(body.detail).not.toContain("tracer exploded");
    expect(lines.filter((line) => line.includes("unexpected error"))).toHaveLength(1);
  });
});
