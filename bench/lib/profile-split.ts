// Reads a CPU profile written by `bun --cpu-prof` and splits its samples into what did the work: the runtime's own
// native code (its HTTP server and event loop, fetch, SQLite, JSON, Response and headers, timers and abort signals,
// hashing), the libraries keyway uses, the usage row's JavaScript (keyway's store, which both floors share), and
// keyway's own JavaScript by part. A sample counts where its innermost frame is; windows (epoch milliseconds) keep
// only the samples taken while a measurement ran. The sampled thread is the main (JavaScript) thread. Samples are
// counted, not weighted by the time since the one before: the sampler takes none while the thread waits for I/O, so
// the first sample after a wait would carry the wait's time.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  /** Epoch microseconds of the first sample's baseline. */
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The parts a sample is counted in, in the order a report lists them. */
export const PARTS = [
  "runtime: HTTP server and event loop (no JavaScript on the stack)",
  "runtime: fetch (the upstream request)",
  "runtime: SQLite (the usage row's statements and commit)",
  "runtime: JSON parse and stringify",
  "runtime: Response, Request and headers",
  "runtime: timers and abort signals",
  "runtime: hashing and ids",
  "runtime: other native and built-in functions",
  "libraries (TypeBox, drizzle, OpenTelemetry API, ...)",
  "JavaScript: the usage row (src/store, src/usage; the floors use it too)",
  "JavaScript: the contract floor's own (bench/)",
  "JavaScript: request, key check, body, dialects (src/server, src/accounts, src/dialects)",
  "JavaScript: the pipeline's stages and attempt (src/gateway)",
  "JavaScript: routing, key sources, teams, limits, health (src/routing, src/vault, src/teams, src/limits, src/health)",
  "JavaScript: provider adapters (src/providers)",
  "JavaScript: telemetry (src/telemetry)",
  "JavaScript: the rest of src/",
] as const;
/** keyway's own JavaScript beyond the usage row (some of which the contract floor calls too: the key check, the body check). */
export const SRC_PARTS: readonly Part[] = PARTS.filter((part) => part.startsWith("JavaScript:") && part.includes("src/") && !part.includes("usage row"));
/** The runtime's native code and built-in modules. */
export const RUNTIME_PARTS: readonly Part[] = PARTS.filter((part) => part.startsWith("runtime:"));
export type Part = (typeof PARTS)[number];

const NATIVE_PARTS: [RegExp, Part][] = [
  [/^fetch$/, "runtime: fetch (the upstream request)"],
  [/^(parse|stringify|json)$/, "runtime: JSON parse and stringify"],
  [/^(Response|Request|Headers|text|headers|get|set|has|append|arrayBuffer)$/, "runtime: Response, Request and headers"],
  [/^(setTimeout|clearTimeout|setImmediate|setInterval|clearInterval|AbortController|AbortSignal|abort|timeout|addEventListener|removeEventListener)$/, "runtime: timers and abort signals"],
  [/^(hash|randomUUID|digest|update|CryptoHasher|getRandomValues)$/, "runtime: hashing and ids"],
];

const SRC_FOLDERS: [RegExp, Part][] = [
  [/\/src\/(store|usage)\//, "JavaScript: the usage row (src/store, src/usage; the floors use it too)"],
  [/\/src\/(server|dialects|accounts)\/|\/src\/schema-errors\.ts/, "JavaScript: request, key check, body, dialects (src/server, src/accounts, src/dialects)"],
  [/\/src\/gateway\//, "JavaScript: the pipeline's stages and attempt (src/gateway)"],
  [/\/src\/(routing|vault|teams|limits|health)\//, "JavaScript: routing, key sources, teams, limits, health (src/routing, src/vault, src/teams, src/limits, src/health)"],
  [/\/src\/providers\//, "JavaScript: provider adapters (src/providers)"],
  [/\/src\/telemetry\//, "JavaScript: telemetry (src/telemetry)"],
];

const isFile = (url: string) => url.startsWith("/") || url.startsWith("file://");

/** The newest profile `bun --cpu-prof` wrote in `dir` (once the process that writes it has exited). */
export function newestProfile(dir: string): { path: string; profile: CpuProfile } {
  const path = readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!path) throw new Error(`no .cpuprofile was written in ${dir}`);
  return { path, profile: JSON.parse(readFileSync(path, "utf8")) as CpuProfile };
}

/** A profile's nodes by id, and each node's parent. */
export function indexProfile(profile: CpuProfile): { byId: Map<number, ProfileNode>; parent: Map<number, number> } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  return { byId, parent };
}

/** The part a sample belongs to, from its stack (innermost frame first). */
export function partOf(stack: readonly ProfileNode["callFrame"][]): Part {
  const leaf = stack[0];
  if (!leaf || !stack.some((frame) => isFile(frame.url))) return "runtime: HTTP server and event loop (no JavaScript on the stack)";
  if (isFile(leaf.url)) {
    if (leaf.url.includes("/node_modules/")) return "libraries (TypeBox, drizzle, OpenTelemetry API, ...)";
    if (leaf.url.includes("/bench/")) return "JavaScript: the contract floor's own (bench/)";
    return SRC_FOLDERS.find(([pattern]) => pattern.test(leaf.url))?.[1] ?? "JavaScript: the rest of src/";
  }
  // Native code or the runtime's built-in modules (bun:sqlite, node:fs): whatever keyway or a floor called.
  if (stack.some((frame) => frame.url === "bun:sqlite" || /^fdatasync/.test(frame.functionName))) return "runtime: SQLite (the usage row's statements and commit)";
  return NATIVE_PARTS.find(([pattern]) => pattern.test(leaf.functionName))?.[1] ?? "runtime: other native and built-in functions";
}

/** Samples by part, counting only those taken inside one of `windows` ([from, to] in epoch ms). */
export function splitProfile(profile: CpuProfile, windows: readonly [number, number][]): Map<Part, number> {
  const { byId, parent } = indexProfile(profile);
  const partOfNode = new Map<number, Part>();
  const split = new Map<Part, number>(PARTS.map((part) => [part, 0]));
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    at += us;
    const ms = at / 1000;
    if (!windows.some(([from, to]) => ms >= from && ms <= to)) return;
    let part = partOfNode.get(id);
    if (part === undefined) {
      const stack: ProfileNode["callFrame"][] = [];
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        const node = byId.get(cur);
        if (node && node.callFrame.functionName !== "(root)") stack.push(node.callFrame);
      }
      part = partOf(stack);
      partOfNode.set(id, part);
    }
    split.set(part, (split.get(part) ?? 0) + 1);
  });
  return split;
}
