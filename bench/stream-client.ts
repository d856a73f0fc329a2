// The bench's open-loop streaming client (what wrk cannot measure), run as its own process:
//   probe: starts a stream every `everyMs` for `forMs`; reports time to first byte and the gaps between events.
//   hold:  opens `count` streams, reports once each has its first byte, closes them all on "close" (stdin).
// `bun bench/stream-client.ts '<json options>'`; prints one JSON line per report.
import { summarize } from "./lib/stats.ts";

interface Common {
  url: string;
  headers: Record<string, string>;
  body: string;
}
interface ProbeOptions extends Common {
  mode: "probe";
  everyMs: number;
  forMs: number;
  /** Text that a complete stream contains ("[DONE]", "message_stop"). */
  doneMarker: string;
  timeoutMs: number;
}
interface HoldOptions extends Common {
  mode: "hold";
  count: number;
  openTimeoutMs: number;
  maxHoldMs: number;
}

const DATA = /^data:/gm;

async function oneStream(options: ProbeOptions, ttfbs: number[], gaps: number[], errors: string[]): Promise<void> {
  const startedAt = performance.now();
  try {
    const response = await fetch(options.url, { method: "POST", headers: options.headers, body: options.body, signal: AbortSignal.timeout(options.timeoutMs) });
    if (response.status !== 200 || !response.body) throw new Error(`HTTP ${response.status}: ${(await response.text()).slice(0, 150)}`);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let text = "";
    let last = -1;
    for (;;) {
      const { value, done } = await reader.read();
      const now = performance.now();
      if (done) break;
      const chunk = decoder.decode(value, { stream: true });
      text += chunk;
      if (last < 0) ttfbs.push(now - startedAt);
      const events = chunk.match(DATA)?.length ?? 0;
      if (events > 0) {
        if (last >= 0) gaps.push(now - last);
        for (let i = 1; i < events; i++) gaps.push(0);
        last = now;
      } else if (last < 0) {
        last = now;
      }
    }
    if (!text.includes(options.doneMarker)) throw new Error(`stream ended without ${options.doneMarker}: ...${text.slice(-120)}`);
  } catch (error) {
    errors.push(error instanceof Error ? error.message : String(error));
  }
}

async function probe(options: ProbeOptions): Promise<void> {
  const ttfbs: number[] = [];
  const gaps: number[] = [];
  const errors: string[] = [];
  const running: Promise<void>[] = [];
  const startedAt = performance.now();
  for (let i = 0; ; i++) {
    const at = startedAt + i * options.everyMs;
    if (at - startedAt >= options.forMs) break;
    const wait = at - performance.now();
    if (wait > 0) await Bun.sleep(wait);
    running.push(oneStream(options, ttfbs, gaps, errors));
  }
  await Promise.all(running);
  console.log(JSON.stringify({ streams: running.length, errors: errors.length, firstError: errors[0], ttfb: summarize(ttfbs), gap: summarize(gaps) }));
}

async function hold(options: HoldOptions): Promise<void> {
  const controllers: AbortController[] = [];
  let firstBytes = 0;
  const errors: string[] = [];
  const startedAt = performance.now();
  const open = async () => {
    const abort = new AbortController();
    controllers.push(abort);
    try {
      const response = await fetch(options.url, { method: "POST", headers: options.headers, body: options.body, signal: abort.signal });
      if (response.status !== 200 || !response.body) throw new Error(`HTTP ${response.status}`);
      const reader = response.body.getReader();
      let first = true;
      for (;;) {
        const { done } = await reader.read();
        if (done) break;
        if (first) firstBytes++;
        first = false;
      }
    } catch (error) {
      if (!abort.signal.aborted) errors.push(error instanceof Error ? error.message : String(error));
    }
  };
  const streams: Promise<void>[] = [];
  for (let i = 0; i < options.count; i++) {
    streams.push(open());
    if (i % 100 === 99) await Bun.sleep(20);
  }
  const deadline = startedAt + options.openTimeoutMs;
  while (firstBytes + errors.length < options.count && performance.now() < deadline) await Bun.sleep(20);
  console.log(JSON.stringify({ opened: options.count, firstBytes, errors: errors.length, firstError: errors[0], ms: Math.round(performance.now() - startedAt) }));
  const closeAsked = (async () => {
    for await (const line of console) if (line.trim() === "close") return;
  })();
  await Promise.race([closeAsked, Bun.sleep(options.maxHoldMs)]);
  for (const controller of controllers) controller.abort();
  await Promise.race([Promise.all(streams), Bun.sleep(2000)]);
  console.log(JSON.stringify({ closed: true }));
  process.exit(0);
}

const options = JSON.parse(process.argv[2] ?? "{}") as ProbeOptions | HoldOptions;
if (options.mode === "probe") await probe(options);
else if (options.mode === "hold") await hold(options);
else throw new Error("usage: bun bench/stream-client.ts '{\"mode\":\"probe\"|\"hold\",...}'");
