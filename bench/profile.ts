// Profiles keyway (from src/, under `bun --cpu-prof`) while wrk drives it, and prints where the CPU time went.
// `bun bench/profile.ts [--connections 64] [--seconds 6] [--model gpt-mock] [--stream] [--top 30]`; the profile stays in bench/.work/profiles.
// Last, the samples taken while wrk measured, split by part as scenario k splits them (lib/profile-split.ts).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { stopAll, WORK_DIR } from "./lib/processes.ts";
import { ensureWrk, REPO_DIR } from "./lib/setup.ts";
import { fromSource, startKeyway, startMock, writeKeywayConfig } from "./lib/stack.ts";
import { requestFor, type Stack } from "./lib/targets.ts";
import { runWrk } from "./lib/wrk.ts";
import { flag } from "./lib/flags.ts";
import { type CpuProfile, indexProfile, newestProfile, type ProfileNode, splitProfile } from "./lib/profile-split.ts";

function label(node: ProfileNode): string {
  const url = node.callFrame.url.replace(/^file:\/\//, "").replace(`${REPO_DIR}/`, "").replace(/^.*node_modules\//, "node_modules/");
  return `${node.callFrame.functionName || "(anonymous)"} ${url ? `${url}:${node.callFrame.lineNumber + 1}` : "(native)"}`;
}

/** Self and inclusive time per function, in ms, biggest first. */
export function summarizeProfile(profile: CpuProfile, top: number): string {
  const { byId, parent } = indexProfile(profile);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    total += us;
    const node = byId.get(id);
    if (!node) return;
    self.set(label(node), (self.get(label(node)) ?? 0) + us);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = label(byId.get(cur) as ProfileNode);
      if (!seen.has(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + us);
      seen.add(name);
    }
  });
  const list = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`);
  return [`sampled ${(total / 1000).toFixed(0)} ms (the idle time before the first request lands on one sample)`, "", "self:", ...list(self), "", "inclusive:", ...list(inclusive)].join("\n");
}

async function main(): Promise<void> {
  ensureWrk();
  const dir = join(WORK_DIR, "profiles");
  mkdirSync(dir, { recursive: true });
  const mock = await startMock("profile-mock");
  const setup = writeKeywayConfig("profile-keyway", mock.url, false);
  const { started: keyway, url } = await startKeyway("profile-keyway", fromSource(REPO_DIR, ["--cpu-prof", `--cpu-prof-dir=${dir}`]), setup);
  const stack: Stack = { mockUrl: mock.url, bareUrl: "", keywayUrl: url, keywayAnthropic: "not used", storedKey: "not used" };
  const request = requestFor("keyway", stack, { api: "openai", model: flag("model", "gpt-mock"), stream: process.argv.includes("--stream") });
  if (typeof request === "string") throw new Error(request);
  const connections = Number(flag("connections", "64"));
  await runWrk({ name: "profile-warmup", request, connections, seconds: 1 });
  const from = Date.now();
  const result = await runWrk({ name: "profile", request, connections, seconds: Number(flag("seconds", "6")) });
  const to = Date.now();
  console.log(`wrk: ${Math.round(result.rps)} req/s, p50 ${result.p50.toFixed(3)} ms, p99 ${result.p99.toFixed(3)} ms${result.errors ? `, errors ${result.errorDetail}` : ""}`);
  keyway.proc.kill("SIGINT");
  await Promise.race([keyway.proc.exited, Bun.sleep(5000)]);
  const { path, profile } = newestProfile(dir);
  console.log(`profile: ${path}\n`);
  console.log(summarizeProfile(profile, Number(flag("top", "30"))));
  // The samples taken while wrk measured, by what did the work (as scenario k splits them).
  const split = splitProfile(profile, [[from, to]]);
  const sampled = [...split.values()].reduce((sum, n) => sum + n, 0);
  console.log(["", `while wrk measured, by part (${sampled} samples):`, ...[...split].filter(([, n]) => n > 0).map(([part, n]) => `${((100 * n) / sampled).toFixed(1).padStart(5)}%  ${part}`)].join("\n"));
}

if (import.meta.main) {
  try {
    await main();
  } finally {
    await stopAll();
  }
}
