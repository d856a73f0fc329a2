// keyway's pipeline alone, in-process: requests handed to the app (no socket) and answered by a canned upstream (no
// fetch), so what is measured is keyway's own work per call: authentication, reading and checking the body, routing,
// admission, the adapter, the answer, the usage row. CPU per request, the JavaScript heap allocated per request
// (JavaScriptCore's GC log), and with --profile where the time goes.
// `bun bench/pipeline.ts [--requests 40000] [--concurrency 32] [--rounds 3] [--governed] [--stream [--model gpt-mock-c8]] [--profile] [--objects] [--against TREE]`
// (--against: a second keyway from another source tree, e.g. a worktree of the commit before a change, in this same
// process; the two take turns for 8 rounds (each going first in every other) and the second's median is given as a ratio of
// this tree's, and the median of the rounds' own ratios beside it: an A/B of the
// pipeline alone, with no socket or fetch in it to add noise.)
// (--stream: the call asks for a stream, the canned upstream answers with the mock's events, one a read, the usage
// event last; the client's stream is read to its end.)
// (--profile re-runs itself under `bun --cpu-prof` and prints the functions taking the most time; --objects counts the
// JavaScript objects a request leaves on the heap, by type: a full collection, 300 requests one at a time, the
// difference of the heap's object counts; --objects-count N runs N instead, few enough, e.g. 60, that no collection
// runs among them and takes objects away from the count.)
import { heapStats } from "bun:jsc";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Transport } from "../src/providers/upstream-fetch.ts";
import { chatAnswer, chatStreamEvents } from "./mock-upstream.ts";
import { summarizeProfile } from "./profile.ts";
import { newestProfile } from "./lib/profile-split.ts";
import { flag } from "./lib/flags.ts";

if (process.argv.includes("--profile")) {
  const dir = mkdtempSync(join(tmpdir(), "keyway-pipeline-profile-"));
  const args = process.argv.slice(2).filter((a) => a !== "--profile");
  const run = Bun.spawnSync([process.execPath, "--cpu-prof", `--cpu-prof-dir=${dir}`, import.meta.path, ...args], { stdout: "inherit", stderr: "inherit" });
  if (run.exitCode !== 0) throw new Error(`the profiled run failed (exit ${run.exitCode})`);
  const { path, profile } = newestProfile(dir);
  console.log(`\nprofile: ${path}\n`);
  console.log(summarizeProfile(profile, Number(flag("top", "40"))));
  process.exit(0);
}

const ADMIN_KEY = "kw_pipeline_admin_0123456789abcdef0123456789";
const PROVIDER_KEY = "sk-pipeline-0123456789abcdef0123";
const answer = chatAnswer("gpt-mock");
const streaming = process.argv.includes("--stream");
const streamModel = flag("model", "gpt-mock-c8");
const streamEvents = chatStreamEvents(streamModel, true).map((event) => new TextEncoder().encode(event));

/** The upstream's stream: its events one a read, as a provider sends them. */
function cannedStream(): Response {
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const event = streamEvents[next++];
      if (event) controller.enqueue(event);
      else controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

/** The upstream: OpenAI's chat completion answer (or its stream), made once, sent at once; anything else is a bug in this bench. */
const cannedUpstream: Transport = async (url, init) => {
  if (!url.endsWith("/chat/completions")) throw new Error(`the pipeline bench has no answer for ${url}`);
  if (typeof init.body === "string" && init.body.includes('"stream":true')) return cannedStream();
  return new Response(answer, { headers: { "content-type": "application/json" } });
};

/** One keyway from a source tree, in this process: started on a fresh database, with the request it is driven by. */
interface Side {
  name: string;
  runtime: { handle(request: Request): Promise<Response>; stop(): Promise<void> };
  headers: Record<string, string>;
  body: string;
  /** Its database and master key. */
  dir: string;
}

async function startSide(name: string, tree: string): Promise<Side> {
  // Each tree's own modules (a second tree's are separate module instances: nothing shared but the runtime).
  const [{ knownNames }, { loadConfigFrom }, { startRuntime }, { createLogger }] = await Promise.all([
    import(join(tree, "src/cli/known-names.ts")) as Promise<typeof import("../src/cli/known-names.ts")>,
    import(join(tree, "src/config/load.ts")) as Promise<typeof import("../src/config/load.ts")>,
    import(join(tree, "src/runtime.ts")) as Promise<typeof import("../src/runtime.ts")>,
    import(join(tree, "src/telemetry/logger.ts")) as Promise<typeof import("../src/telemetry/logger.ts")>,
  ]);
  const dir = mkdtempSync(join(tmpdir(), "keyway-pipeline-"));
  const raw = {
    server: { host: "127.0.0.1", port: 0 },
    storage: { driver: "sqlite", path: join(dir, "keyway.db") },
    security: { admin_key: ADMIN_KEY, master_key_file: join(dir, "master.key") },
    telemetry: { log_level: "warn" },
    providers: { openai: { adapter: "openai", base_url: "http://upstream.invalid/v1" } },
  };
  const { config } = loadConfigFrom(raw, join(dir, "keyway.yaml"), process.env, knownNames);
  const runtime = await startRuntime({ config, source: join(dir, "keyway.yaml"), logger: createLogger("warn"), transport: cannedUpstream });
  const { bearer, body } = await bearerAndBody(runtime);
  // As a client sends them over HTTP/1.1 (with the length: a body without one is read in pieces, to enforce the limit).
  const headers = { authorization: `Bearer ${bearer}`, "content-type": "application/json", host: "127.0.0.1", "content-length": String(Buffer.byteLength(body)) };
  return { name, runtime, headers, body, dir };
}

async function bearerAndBody(runtime: Side["runtime"]): Promise<{ bearer: string; body: string }> {
  const message = {
    model: `openai/${streaming ? streamModel : "gpt-mock"}`,
    messages: [{ role: "user", content: "Say hello in one short sentence." }],
    ...(streaming ? { stream: true } : {}),
  };
  if (!process.argv.includes("--governed")) return { bearer: ADMIN_KEY, body: JSON.stringify({ ...message, byok_api_key: PROVIDER_KEY }) };
  // Governance on, as scenario e: a developer key of the default account and the account's stored key.
  const call = (path: string, body: unknown) =>
    runtime.handle(
      new Request(`http://127.0.0.1${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json", host: "127.0.0.1" },
        body: JSON.stringify(body),
      }),
    );
  const stored = await call("/v1/providers/keys", { providers: [{ name: "openai", api_key: PROVIDER_KEY, label: "pipeline" }] });
  if (stored.status >= 300) throw new Error(`storing the provider key: ${stored.status} ${await stored.text()}`);
  const created = await call("/v1/api-keys", { name: "pipeline", role: "developer" });
  const { key } = (await created.json()) as { key?: string };
  if (!key) throw new Error(`creating a developer key: ${created.status}`);
  return { bearer: key, body: JSON.stringify(message) };
}

/** `count` requests, `concurrency` at a time; every answer is read and checked. */
async function drive(side: Side, count: number, concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const response = await side.runtime.handle(new Request("http://127.0.0.1/v1/chat/completions", { method: "POST", headers: side.headers, body: side.body }));
      const text = await response.text();
      if (response.status !== 200 || !text.includes(streaming ? "data: [DONE]" : '"byok_api_key"')) throw new Error(`${side.name}: answer ${response.status}: ${text.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

const requests = Number(flag("requests", "40000"));
const concurrency = Number(flag("concurrency", "32"));
const against = flag("against", "");
const sides = [await startSide(against ? "this tree" : "keyway", join(import.meta.dir, ".."))];
if (against) sides.push(await startSide(against, against));
for (const side of sides) await drive(side, Math.min(5000, requests), concurrency);
// The sides take turns, round after round (first one, then the other going first), so the machine's noise falls on each alike.
const rounds = new Map<Side, number[]>(sides.map((side) => [side, []]));
for (let round = 0; round < Number(flag("rounds", against ? "8" : "3")); round++) {
  for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
    const before = process.cpuUsage();
    await drive(side, requests, concurrency);
    const used = process.cpuUsage(before);
    rounds.get(side)?.push((used.user + used.system) / requests);
  }
}
const medianOf = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] as number;
const first = medianOf(rounds.get(sides[0] as Side) ?? []);
for (const [side, list] of rounds) {
  const median = medianOf(list);
  console.log(
    `${side.name}: keyway pipeline${process.argv.includes("--governed") ? " (governed)" : ""}${streaming ? `, streams of ${streamModel}` : ""}, ${concurrency} at a time: CPU ${median.toFixed(1)} µs/request ` +
      `(median of ${list.length} rounds: ${list.map((r) => r.toFixed(1)).join(", ")})${side === sides[0] ? "" : `, ${(median / first).toFixed(3)}x this tree's`}`,
  );
  // Round by round, against this tree's run next to it: steadier than the ratio of medians when the host's speed moves for seconds at a time.
  const firstRounds = rounds.get(sides[0] as Side) ?? [];
  if (side !== sides[0]) console.log(`  round by round: ${medianOf(list.map((us, i) => us / (firstRounds[i] as number))).toFixed(3)}x this tree's (median of the rounds' ratios)`);
}
const [side] = sides as [Side];
if (process.argv.includes("--objects")) {
  const count = Number(flag("objects-count", "300"));
  Bun.gc(true);
  const before = heapStats().objectTypeCounts as Record<string, number>;
  await drive(side, count, 1);
  const after = heapStats().objectTypeCounts as Record<string, number>;
  const perRequest = Object.entries(after)
    .map(([type, n]) => [type, (n - (before[type] ?? 0)) / count] as const)
    .filter(([, n]) => n >= 0.5)
    .sort((a, b) => b[1] - a[1]);
  console.log(`objects a request allocates: ${perRequest.reduce((sum, [, n]) => sum + n, 0).toFixed(0)} (the bench's own Request and reads included)`);
  for (const [type, n] of perRequest.slice(0, 20)) console.log(`${n.toFixed(1).padStart(7)}  ${type}`);
}
for (const each of sides) {
  await each.runtime.stop();
  rmSync(each.dir, { recursive: true, force: true });
}
