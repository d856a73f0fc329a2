// A call that arrives alone: short streams (2 events 20 ms apart) sent one after another, so the server idles between
// them as it does at low load, to the bare proxy, the metering floor and keyway in turns; the time to each first byte,
// and, from a copy of src/ that notes the time between its stages (bench/.work/cold-tree, never the tree itself),
// the median of each stage of keyway's calls. At 32 connections the same stages cost a few µs of CPU each (stages.ts).
// `bun bench/cold.ts [--calls 100] [--rounds 5] [--pause 0] [--against TREE]` (--pause: ms between one call's end and
// the next; --against: a second keyway from another source tree, e.g. a worktree of the commit before a change, takes
// its turn too, and its stages are printed beside this tree's: the figures move between runs, so compare in one.)
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { flag } from "./lib/flags.ts";
import { type Insertion, patchedTree } from "./lib/patched-tree.ts";
import { stop, stopAll, WORK_DIR } from "./lib/processes.ts";
import { REPO_DIR } from "./lib/setup.ts";
import { median, summarize } from "./lib/stats.ts";
import { fromSource, startBare, startKeyway, startMeteringFloor, startMock, writeKeywayConfig } from "./lib/stack.ts";
import { type HttpRequest, requestFor } from "./lib/targets.ts";

const MARKS_FILE_VARIABLE = "KEYWAY_COLD_MARKS_FILE";

/** Each mark ends the stage named after it; a call's first mark is the handler's first line. */
const MARKS: readonly (Omit<Insertion, "code" | "name"> & { stage: string })[] = [
  { stage: "start", file: "src/server/routes/inference.ts", anchor: "    const startedAt = Date.now();", before: true },
  { stage: "request id", file: "src/server/routes/inference.ts", anchor: "    const requestId = requestIdOf(request);", before: false },
  { stage: "SERVER span", file: "src/server/routes/inference.ts", anchor: "    let call: InferenceCall;", before: true },
  { stage: "authentication", file: "src/server/routes/inference.ts", anchor: "      const principal = await authenticate(deps.authenticator, request, clientIp);", before: false },
  { stage: "body read", file: "src/server/routes/inference.ts", anchor: "      const { endpoint, body, native, unmetered } = dialect.decode(raw, request.headers);", before: true },
  { stage: "body checked and decoded", file: "src/server/routes/inference.ts", anchor: "      const { endpoint, body, native, unmetered } = dialect.decode(raw, request.headers);", before: false },
  { stage: "read stage", file: "src/gateway/pipeline.ts", anchor: "      const read = readCall(ctx, stageDeps);", before: false },
  { stage: "policy", file: "src/gateway/pipeline.ts", anchor: "      const policed = policing instanceof Promise ? await policing : policing;", before: false },
  { stage: "plan", file: "src/gateway/pipeline.ts", anchor: "      const planned = await planCandidates(policed, stageDeps);", before: false },
  { stage: "the key", file: "src/gateway/execute.ts", anchor: "    const apiKey = await source.secret(candidate.keyRef, target, input.call);", before: false },
  { stage: "upstream request built", file: "src/gateway/execute.ts", anchor: "    const upstream = buildRequest(input, body, provider, ctx);", before: false },
  { stage: "admission", file: "src/gateway/execute.ts", anchor: "    const admission = await input.admit(candidate, body);", before: false },
  { stage: "attempt span, timer", file: "src/gateway/execute.ts", anchor: "    const outcome = await callUpstream({ provider, request, apiKey: ctx.apiKey, defaultMethod: \"POST\", signal: attempt.abort.signal, transport });", before: true },
  { stage: "upstream answer's headers (fetch)", file: "src/gateway/execute.ts", anchor: "    if (outcome.ok) return stream ? await firstChunk(outcome.response) : outcome;", before: true },
  { stage: "upstream's first chunk", file: "src/gateway/execute.ts", anchor: "  const first = await reader.read();", before: false },
  { stage: "the answer built", file: "src/gateway/answer.ts", anchor: "  return new Response(stream, {", before: true },
  { stage: "from the answer to the relay's first read", file: "src/gateway/stream-relay.ts", anchor: "    async pull(controller) {", before: false },
  { stage: "first chunk passed on", file: "src/gateway/stream-relay.ts", anchor: "    if (sent) controller.enqueue(out);", before: false },
];
const LAST = MARKS.length - 1;

/**
 * Put at the top of each file that gets a mark: one recorder per process (the first file loaded makes it), a call's
 * marks kept until its first chunk is passed on, every call's stage times written to the file when keyway exits.
 */
const HELPER = `import { writeFileSync as coldWrite } from "node:fs";
const coldMark: (index: number) => void = ((globalThis as any).__keywayColdMark ??= (() => {
  const calls: number[][] = [];
  let current: number[] | undefined;
  process.on("exit", () => coldWrite(process.env.${MARKS_FILE_VARIABLE} as string, JSON.stringify(calls)));
  return (index: number) => {
    if (index === 0) current = [performance.now()];
    else if (current && current.length === index) current.push(performance.now());
    if (index === ${LAST} && current?.length === ${LAST + 1}) {
      calls.push(current.slice(1).map((at, i) => (at - (current as number[])[i]) * 1000));
      current = undefined;
    }
  };
})());
`;

interface Side {
  name: string;
  request: HttpRequest;
}

/** Time to the first body bytes of one streamed call, read to its end. */
async function firstByteMs(request: HttpRequest): Promise<number> {
  const startedAt = performance.now();
  const response = await fetch(request.url, { method: "POST", headers: request.headers, body: request.body });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const first = await reader.read();
  const at = performance.now() - startedAt;
  if (response.status !== 200 || first.done) throw new Error(`${request.url} answered ${response.status} without a stream`);
  while (!(await reader.read()).done);
  return at;
}

/** A keyway from a marked copy of `source`'s src/, its stage times written to `marksFile` when it exits. */
async function startMarkedKeyway(name: string, source: string, mockUrl: string, marksFile: string) {
  const tree = patchedTree(
    `${name}-tree`,
    MARKS.map((mark, index) => ({ ...mark, name: mark.stage, code: `coldMark(${index});` })),
    HELPER,
    source,
  );
  rmSync(marksFile, { force: true });
  const setup = writeKeywayConfig(name, mockUrl, false);
  const { started, url } = await startKeyway(name, fromSource(tree), setup, { [MARKS_FILE_VARIABLE]: marksFile });
  return { started, url, marksFile };
}

async function main(): Promise<void> {
  const calls = Number(flag("calls", "100"));
  const rounds = Number(flag("rounds", "5"));
  const pause = Number(flag("pause", "0"));
  const against = flag("against", "");
  const mock = await startMock("cold-mock");
  const bare = await startBare("cold-bare", mock.url);
  const floor = await startMeteringFloor("cold-floor", mock.url);
  const keyways = [await startMarkedKeyway("cold-keyway", REPO_DIR, mock.url, join(WORK_DIR, "cold-marks.json"))];
  if (against) keyways.push(await startMarkedKeyway("cold-against", against, mock.url, join(WORK_DIR, "cold-against-marks.json")));
  const shape = { api: "openai", model: "gpt-mock-c2-i20", stream: true } as const;
  const stack = { mockUrl: mock.url, bareUrl: bare.url, keywayUrl: keyways[0]?.url, keywayAnthropic: "not used", storedKey: "not used" };
  const bareRequest = requestFor("bare", stack, shape);
  const keywayRequest = requestFor("keyway", stack, shape);
  if (typeof bareRequest === "string" || typeof keywayRequest === "string") throw new Error("no request for a side");
  // The bare proxy and the floor ask the upstream for the usage event, as keyway does.
  const withUsage = { ...bareRequest, body: JSON.stringify({ ...JSON.parse(bareRequest.body), stream_options: { include_usage: true } }) };
  const keywayNames = against ? ["keyway", `keyway (${against})`] : ["keyway"];
  const sides: Side[] = [
    { name: "bare proxy", request: withUsage },
    { name: "metering floor", request: { ...withUsage, url: withUsage.url.replace(bare.url, floor.url) } },
    ...keyways.map((keyway, i) => ({ name: keywayNames[i] as string, request: { ...keywayRequest, url: keywayRequest.url.replace(keyways[0]?.url as string, keyway.url) } })),
  ];
  const firstBytes = new Map<string, number[]>(sides.map((side) => [side.name, []]));
  // A warm-up round, then the sides in turns.
  for (let round = 0; round <= rounds; round++) {
    for (const side of sides) {
      for (let i = 0; i < calls; i++) {
        const ms = await firstByteMs(side.request);
        if (round > 0) firstBytes.get(side.name)?.push(ms);
        if (pause > 0) await Bun.sleep(pause);
      }
    }
  }
  // Each keyway writes its stage times as it exits; the warm-up round's calls are left out.
  const stageTimes: number[][][] = [];
  for (const keyway of keyways) {
    await stop(keyway.started);
    stageTimes.push((JSON.parse(readFileSync(keyway.marksFile, "utf8")) as number[][]).slice(calls));
  }
  console.log(`\n${calls * rounds} sequential short streams a side (each waits 20 ms for its second event${pause > 0 ? `, then ${pause} ms` : ""})\n`);
  console.log("time to first byte (ms)     p50     p90");
  for (const [name, values] of firstBytes) {
    const { p50, p90 } = summarize(values);
    console.log(`${name.padEnd(24)} ${p50.toFixed(3).padStart(7)} ${p90.toFixed(3).padStart(7)}`);
  }
  console.log(`\nkeyway's stages, medians of ${stageTimes[0]?.length ?? 0} calls (µs)${against ? `: this tree, then ${against}` : ""}`);
  MARKS.slice(1).forEach((mark, i) => {
    const columns = stageTimes.map((times) => median(times.map((call) => call[i] as number)).toFixed(1).padStart(8));
    console.log(`${columns.join("")}  ${mark.stage}`);
  });
}

try {
  await main();
} finally {
  await stopAll();
}
