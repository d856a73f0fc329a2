// Job gates over real stores (SQLite file shared by two handles, and Postgres): a job runs on one holder at a time,
// the holder keeps it by renewing, hands it over at once on a clean stop, and loses it to another gateway when it
// stops renewing (a dead process) and its lease expires.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type JobGate, leasedJobs, soloJobs } from "../../src/store/job-gate.ts";
import { openPostgresStore } from "../../src/store/postgres/open-store.ts";
import { openStore } from "../../src/store/sqlite/open-store.ts";
import type { Store } from "../../src/store/store.ts";
import { createLogger } from "../../src/telemetry/logger.ts";
import { freshPostgresSchema, POSTGRES_URL } from "../helpers/postgres.ts";

const TTL = 400;
const logs: string[] = [];
const logger = createLogger("debug", (line) => logs.push(line));

/** Runs the job on the gate; says whether it ran. */
const tryRun = async (gate: JobGate, job: string, ran: string[], who: string) => gate.run(job, async () => void ran.push(who));

function gateSuite(name: string, open: () => Promise<{ a: Store; b: Store; close(): Promise<void> }>) {
  describe(`job gate on ${name}`, () => {
    let stores: { a: Store; b: Store; close(): Promise<void> };
    beforeAll(async () => {
      stores = await open();
    });
    afterAll(async () => stores.close());

    test("one holder runs the job; it keeps it past several lease lengths by renewing; a clean stop hands it over at once", async () => {
      const a = leasedJobs({ repo: stores.a.jobLeases, holder: "gw_a", logger, ttlMs: TTL });
      const b = leasedJobs({ repo: stores.b.jobLeases, holder: "gw_b", logger, ttlMs: TTL });
      const ran: string[] = [];
      expect(await tryRun(a, "job.keep", ran, "a")).toBe(true);
      // Only b asks for three lease lengths: a's background renewal alone keeps the job with a.
      for (let i = 0; i < 6; i++) {
        await Bun.sleep(TTL / 2);
        expect(await tryRun(b, "job.keep", ran, "b")).toBe(false);
      }
      expect(await tryRun(a, "job.keep", ran, "a")).toBe(true);
      expect(ran).toEqual(["a", "a"]);
      await a.stop();
      expect(await tryRun(b, "job.keep", ran, "b")).toBe(true);
      expect((await stores.a.jobLeases.get("job.keep"))?.holder).toBe("gw_b");
      expect(await tryRun(a, "job.keep", ran, "a")).toBe(false);
      await b.stop();
      expect(await stores.a.jobLeases.get("job.keep")).toBeUndefined();
    });

    test("a holder that stops renewing (a dead process) loses the job to another gateway once its lease expires", async () => {
      // The dead holder took the lease and will never renew it.
      expect(await stores.a.jobLeases.acquire("job.takeover", "gw_dead", TTL)).toBe(true);
      const takenAt = Date.now();
      const b = leasedJobs({ repo: stores.b.jobLeases, holder: "gw_b", logger, ttlMs: TTL });
      const ran: string[] = [];
      let runAt = 0;
      while (!(await tryRun(b, "job.takeover", ran, "b"))) {
        expect(Date.now() - takenAt).toBeLessThan(TTL * 5);
        await Bun.sleep(25);
      }
      runAt = Date.now();
      expect(runAt - takenAt).toBeGreaterThanOrEqual(TTL - 5);
      expect(ran).toEqual(["b"]);
      expect((await stores.a.jobLeases.get("job.takeover"))?.holder).toBe("gw_b");
      expect(logs.some((l) => l.includes("job lease taken") && l.includes("job.takeover"))).toBe(true);
      await b.stop();
    });

    test("a task's error reaches the caller and the lease stays with its holder", async () => {
      const a = leasedJobs({ repo: stores.a.jobLeases, holder: "gw_a", logger, ttlMs: TTL });
      await expect(a.run("job.fails", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
      expect((await stores.a.jobLeases.get("job.fails"))?.holder).toBe("gw_a");
      await a.stop();
    });
  });
}

gateSuite("one SQLite file, two handles", async () => {
  const dir = mkdtempSync(join(tmpdir(), "keyway-job-gate-"));
  const path = join(dir, "keyway.db");
  const a = openStore(path);
  const b = openStore(path);
  return {
    a,
    b,
    async close() {
      a.close();
      b.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

gateSuite("Postgres, two pools", async () => {
  const fresh = await freshPostgresSchema("job_gate");
  const url = `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${fresh.schema}`)}`;
  const a = await openPostgresStore({ url, poolSize: 2 });
  const b = await openPostgresStore({ url, poolSize: 2 });
  return {
    a,
    b,
    async close() {
      a.close();
      b.close();
      await fresh.drop();
    },
  };
});

test("a lone gateway runs every job, every time", async () => {
  const ran: string[] = [];
  expect(soloJobs.shared).toBe(false);
  for (let i = 0; i < 3; i++) expect(await tryRun(soloJobs, "job.solo", ran, "solo")).toBe(true);
  expect(ran).toEqual(["solo", "solo", "solo"]);
});
