// Scenario e2: scenario e's governed call on a keyway whose state is in Postgres and whose counters are in Redis (how each
// replica of a fleet runs), beside the same call on the SQLite keyway with memory counters, taken in turns in one run.
import { type Context, type MeasuredRun, wrkSides } from "../lib/measure.ts";
import { type FleetKeyway, redisCommandsProcessed } from "../lib/fleet.ts";
import { type Cell, type Goal, missing, type Row, type Section } from "../lib/report.ts";
import { type HttpRequest, probe, requestFor, type Shape } from "../lib/targets.ts";
import { usageRows } from "./e-governance.ts";

type Side = "direct" | "sqlite" | "fleet";
const SIDES: readonly Side[] = ["direct", "sqlite", "fleet"];
type PerSide<T> = Record<Side, T | string>;

const SHAPE: Shape = { api: "openai", model: "gpt-mock", governed: true };
const sent = (r: MeasuredRun | string) => (typeof r === "string" ? 0 : r.requests + r.warmupRequests);
const cell = (value: number | string): Cell => (typeof value === "string" ? missing(value) : value);

async function checked(request: HttpRequest | string): Promise<HttpRequest | string> {
  if (typeof request === "string") return request;
  const problem = await probe(request, /"choices"/);
  return problem === undefined ? request : `its answer failed the check (${problem})`;
}

/** Polls a count until it stops moving (usage rows are written just after each answer), for at most `ms`. */
async function settled(count: () => Promise<number | string>, ms = 6000): Promise<number | string> {
  const until = performance.now() + ms;
  let last = await count();
  while (performance.now() < until) {
    await Bun.sleep(500);
    const now = await count();
    if (now === last) return now;
    last = now;
  }
  return last;
}

const SIDE_LABEL: Record<Side, string> = { direct: "direct", sqlite: "SQLite keyway", fleet: "Postgres + Redis keyway" };

function errorNotes(what: string, results: PerSide<MeasuredRun>): string[] {
  return SIDES.flatMap((side) => {
    const r = results[side];
    return typeof r === "string" || r.errors === 0 ? [] : [`${SIDE_LABEL[side]}, ${what}: ${r.errors} errors (${r.errorDetail || "no detail"})`];
  });
}

function row(label: string, results: PerSide<MeasuredRun>, pick: (r: MeasuredRun) => number, added = false): Row {
  const values: Record<string, Cell> = {};
  const direct = results.direct;
  for (const side of SIDES) {
    const result = results[side];
    if (added && side === "direct") continue;
    if (typeof result === "string") values[side] = missing(result);
    else if (!added) values[side] = pick(result);
    else values[side] = typeof direct === "string" ? missing("no direct figure to subtract") : pick(result) - pick(direct);
  }
  return { label, values };
}

export async function scenarioE2(ctx: Context, fleet: FleetKeyway): Promise<{ section: Section; goals: Goal[] }> {
  const { stack } = ctx;
  const fleetStack = { ...stack, keywayUrl: fleet.server.url, keywayDb: undefined, governedKey: fleet.governance.key, storedKey: fleet.governance.stored };
  const requests: PerSide<HttpRequest> = {
    direct: await checked(requestFor("direct", stack, SHAPE)),
    sqlite: await checked(requestFor("keyway", stack, SHAPE)),
    fleet: await checked(requestFor("keyway", fleetStack, SHAPE)),
  };
  const sqliteKey = stack.governedKey?.id;
  const fleetKey = fleet.governance.key?.id;
  const countSqlite = async () => (sqliteKey ? usageRows(stack.keywayDb, sqliteKey) : "no account key");
  const countFleet = async () => (fleetKey ? fleet.usageRows(fleetKey) : "no account key");
  const before = { sqlite: await settled(countSqlite), fleet: await settled(countFleet) };
  const commandsBefore = await redisCommandsProcessed();

  const serial = await wrkSides(ctx, requests, { name: "e2-c1", connections: 1, seconds: 2, rounds: 2, warmupSeconds: 1, warmupConnections: 16 }, SIDES);
  const loadedRequests: PerSide<HttpRequest> = { ...requests, direct: "not measured at 64 connections (see e)" };
  const loaded = await wrkSides(ctx, loadedRequests, { name: "e2-c64", connections: 64, seconds: 2, rounds: 2 }, SIDES);

  const commandsAfter = await redisCommandsProcessed();
  const after = { sqlite: await settled(countSqlite), fleet: await settled(countFleet) };
  const written = (side: "sqlite" | "fleet"): number | string => {
    const [b, a] = [before[side], after[side]];
    if (typeof a === "string") return a;
    if (typeof b === "string") return b;
    return a - b;
  };
  const completed = (side: "sqlite" | "fleet") => sent(serial[side]) + sent(loaded[side]);
  const rows: Row[] = [
    row("p50 at concurrency 1", serial, (r) => r.p50),
    row("p99 at concurrency 1", serial, (r) => r.p99),
    row("**added p50** at concurrency 1", serial, (r) => r.p50, true),
    row("**added p99** at concurrency 1", serial, (r) => r.p99, true),
    row("**requests/s at 64 connections**", loaded, (r) => r.rps),
    row("p99 at 64 connections", loaded, (r) => r.p99),
    {
      label: "requests completed with the account key (wrk, warm-up included)",
      values: { sqlite: completed("sqlite"), fleet: completed("fleet") },
      ratios: false,
    },
    {
      label: "usage rows written for it (counted in SQLite / in Postgres)",
      values: { sqlite: cell(written("sqlite")), fleet: cell(written("fleet")) },
      ratios: false,
    },
  ];
  const keys = await fleet.redisKeys();
  const notes = [
    `the Postgres + Redis keyway has its own governance setup: ${
      fleet.governance.stored === true
        ? "a developer key of its default account and the account's stored OpenAI key, no key in the request"
        : `a developer key of its default account; ${fleet.governance.stored}`
    }`,
    `its state is in a fresh Postgres schema (${fleet.schema}, dropped at the end of the run) and its counters in Redis under the prefix ${fleet.prefix} ` +
      `(${typeof keys === "number" ? `${keys} keys there after the runs` : `keys not counted: ${keys}`}, deleted at the end)`,
    commandsBefore !== undefined && commandsAfter !== undefined
      ? `Redis processed ${commandsAfter - commandsBefore} commands during the measurement (the whole server, from INFO stats: anything else using it counts too)`
      : "Redis command counts could not be read (INFO stats)",
    "usage rows can exceed the requests completed by the requests still in flight when wrk stopped, which keyway records too",
    ...errorNotes("concurrency 1", serial),
    ...errorNotes("64 connections", loaded),
  ];
  return {
    section: {
      id: "e2",
      title: "Governance on Postgres + Redis, beside SQLite",
      method:
        "Scenario e's call (an account's developer key, its stored OpenAI key, usage recorded; zero-delay upstream, ~1.4 KB answer) on two keyway processes of the same binary: " +
        "one with SQLite and memory counters (the keyway of a-e), one with `storage: {driver: postgres}` on the local Postgres and `counters: {driver: redis}` on the local Redis, as each replica of a fleet runs. " +
        "The sides take turns: wrk at 1 connection (2 rounds of 2 s, after a 1 s warm-up at 16) and at 64 connections (2 rounds of 2 s). Milliseconds, except rates and counts.",
      rows,
      notes,
      columns: [
        { key: "direct", label: "direct" },
        { key: "sqlite", label: "keyway, SQLite + memory" },
        { key: "fleet", label: "keyway, Postgres + Redis" },
      ],
      ratioColumns: [{ label: "Postgres + Redis / SQLite", of: "fleet", over: "sqlite" }],
    },
    goals: [],
  };
}
