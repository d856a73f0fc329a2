import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";

let gw: TestGateway;

beforeAll(async () => {
  gw = await startGateway({});
});
afterAll(async () => {
  await gw.stop();
});

const call = (method: string, path: string, body?: unknown) =>
  fetch(`${gw.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${gw.adminKey}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** Sends raw bytes over TCP and returns the raw answer (status line, headers, body). */
function rawHttp(request: string): Promise<{ status: number; headers: string; body: string }> {
  const { hostname, port } = new URL(gw.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let data = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => (data += chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = "", body = ""] = data.split("\r\n\r\n");
      resolve({ status: Number(head.split(" ")[1]), headers: head.toLowerCase(), body });
    });
  });
}

function expectOpenAIError(body: unknown, code: string, type: string) {
  expect(body).toEqual({ error: { message: expect.any(String), type, param: null, code } });
}

describe("requests keyway cannot act on get a 4xx in the OpenAI error shape, never a 500", () => {
  test("PATCH /v1/teams/{id} with nothing to change is a 400 naming what may be changed; the team is untouched", async () => {
    const team = await (await call("POST", "/v1/teams", { name: "Platform" })).json();
    const empty = await call("PATCH", `/v1/teams/${team.id}`, {});
    expect(empty.status).toBe(400);
    const body = await empty.json();
    expectOpenAIError(body, "invalid_request", "invalid_request_error");
    expect(body.error.message).toContain("name");
    expect(body.error.message).toContain("members");
    expect((await call("PATCH", `/v1/teams/${team.id}`, { members: [] })).status).toBe(400);
    expect((await (await call("GET", `/v1/teams/${team.id}`)).json()).name).toBe("Platform");
  });

  test("PATCH /v1/teams/{id} with members only adds them (no settings change needed)", async () => {
    const team = await (await call("POST", "/v1/teams", { name: "Data" })).json();
    const res = await call("PATCH", `/v1/teams/${team.id}`, { members: [{ email: "new@data.com", role: "developer" }] });
    expect(res.status).toBe(200);
    const updated = await res.json();
    expect(updated.name).toBe("Data");
    expect(updated.members).toEqual([expect.objectContaining({ email: "new@data.com", role: "developer", key: expect.stringMatching(/^kw_/) })]);
  });

  test("an HTTP/1.0 API request without a Host header is a 400 in the OpenAI shape", async () => {
    for (const line of ["GET /v1/api-keys HTTP/1.0", "GET /v1/teams/team_x HTTP/1.0", "POST /v1/chat/completions HTTP/1.0"]) {
      const res = await rawHttp(`${line}\r\nAuthorization: Bearer ${gw.adminKey}\r\nContent-Length: 2\r\n\r\n{}`);
      expect(res.status).toBe(400);
      expect(res.headers).toContain("content-type: application/json");
      const body = JSON.parse(res.body);
      expectOpenAIError(body, "invalid_request", "invalid_request_error");
      expect(body.error.message).toContain("Host");
    }
    expect(gw.logs.join("\n")).not.toContain("unexpected error");
  });

  test("probes still answer without a Host header (load balancers' HTTP/1.0 checks); unknown paths stay 404", async () => {
    const health = await rawHttp("GET /health HTTP/1.0\r\n\r\n");
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body).status).toBe("ok");
    const unknown = await rawHttp("GET /nowhere HTTP/1.0\r\n\r\n");
    expect(unknown.status).toBe(404);
    expectOpenAIError(JSON.parse(unknown.body), "not_found", "not_found_error");
  });

  test("a wrong method on a known path is a 405 with Allow; unknown paths stay 404", async () => {
    const cases: [string, string, string][] = [
      ["GET", "/v1/chat/completions", "POST"],
      ["PUT", "/v1/teams/team_abc", "DELETE, GET, HEAD, PATCH"],
      ["DELETE", "/v1/api-keys", "GET, HEAD, POST"],
      ["POST", "/health", "GET, HEAD"],
    ];
    for (const [method, path, allow] of cases) {
      const res = await call(method, path);
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe(allow);
      expect(res.headers.get("x-request-id")).toBeTruthy();
      const body = await res.json();
      expectOpenAIError(body, "method_not_allowed", "invalid_request_error");
      expect(body.error.message).toBe(`${method} is not allowed on ${path}; use ${allow.replaceAll(", ", " or ")}.`);
    }
    const unknown = await call("GET", "/v1/nothing-here");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("allow")).toBeNull();
    expectOpenAIError(await unknown.json(), "not_found", "not_found_error");
  });
});
