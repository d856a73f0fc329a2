// The control plane (Elysia, the management API, the dashboard) is loaded on its first request: a gateway that only
// serves calls, probes and the model list never holds it, and once loaded it answers as before.
import { expect, test } from "bun:test";
import { join } from "node:path";

test("calls (over HTTP and in-process), probes and the model list leave the control plane unloaded; the first management requests load it once and see the peer's address", async () => {
  const child = Bun.spawn([process.execPath, join(import.meta.dir, "../fixtures/control-plane-loading.ts")], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  expect(err).not.toContain("error:");
  expect(code).toBe(0);
  const report = JSON.parse(out);
  // metrics: 404 in the OpenAI shape while Prometheus is off, answered without the control plane too.
  expect(report.served).toEqual({ chat: 200, health: 200, ready: 200, metrics: 404, models: 200, model: 200, inProcess: 200 });
  expect(report.beforeManagement).toEqual({ app: false, elysia: false });
  expect(report.first).toEqual([200, 200, 200, 200, 200]);
  expect(report.afterManagement).toEqual({ app: true, elysia: true });
  // An admin key limited to 127.0.0.0/8 works on a management route; one limited to 10.0.0.0/8 is refused.
  expect(report.ranged).toEqual({ local: 200, office: 403 });
}, 60_000);
