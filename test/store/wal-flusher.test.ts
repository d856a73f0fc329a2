// The WAL flusher: one background sync for the writes of a few milliseconds, another when writes came during it,
// none after close; and the SQLite store syncing its WAL after usage rows are written.
import { afterAll, describe, expect, test } from "bun:test";
import { fdatasync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/store/sqlite/open-store.ts";
import { walFlusher } from "../../src/store/sqlite/wal-flusher.ts";
import { usageRow } from "./contract/usage.ts";

const dir = mkdtempSync(join(tmpdir(), "keyway-wal-flusher-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The files this process has open read-only (as the flusher opens the WAL; SQLite opens it read-write) whose path ends with `suffix`. */
function openFilesEndingWith(suffix: string): string[] {
  return readdirSync("/proc/self/fd").flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      const flags = /flags:\s+([0-7]+)/.exec(readFileSync(`/proc/self/fdinfo/${fd}`, "utf8"))?.[1];
      return target.endsWith(suffix) && flags !== undefined && (Number.parseInt(flags, 8) & 3) === 0 ? [target] : [];
    } catch {
      return []; // closed meanwhile
    }
  });
}

/** Waits until `condition` holds (a few seconds at most, for a loaded machine). */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition() && waited < 3000; waited += 5) await Bun.sleep(5);
}

/** A sync that is held until the test lets it end. */
function heldSyncs() {
  const pending: (() => void)[] = [];
  return {
    calls: () => pending.length,
    sync: (_fd: number, done: () => void) => void pending.push(done),
    finish: (index: number) => pending[index]?.(),
  };
}

/** A WAL file named `name` and a flusher over it whose syncs are held (see heldSyncs). */
function heldFlusher(name: string, delayMs: number) {
  const path = join(dir, name);
  writeFileSync(path, "wal");
  const syncs = heldSyncs();
  return { syncs, flusher: walFlusher(path, { delayMs, sync: syncs.sync }) };
}

describe("walFlusher", () => {
  test("the writes of a few milliseconds share one sync, which waits the delay", async () => {
    const { syncs, flusher } = heldFlusher("a.db-wal", 5);
    flusher.wrote();
    flusher.wrote();
    flusher.wrote();
    expect(syncs.calls()).toBe(0);
    await until(() => syncs.calls() > 0);
    await Bun.sleep(20);
    expect(syncs.calls()).toBe(1);
    syncs.finish(0);
    await Bun.sleep(20);
    expect(syncs.calls()).toBe(1);
    flusher.close();
  });

  test("writes during a sync get a sync of their own after it, not one beside it", async () => {
    const { syncs, flusher } = heldFlusher("b.db-wal", 2);
    flusher.wrote();
    await until(() => syncs.calls() > 0);
    flusher.wrote();
    await Bun.sleep(20);
    expect(syncs.calls()).toBe(1);
    syncs.finish(0);
    await until(() => syncs.calls() > 1);
    expect(syncs.calls()).toBe(2);
    syncs.finish(1);
    flusher.close();
  });

  test("close lets the file go once the sync under way ends, and nothing is synced after it", async () => {
    const { syncs, flusher } = heldFlusher("c.db-wal", 2);
    flusher.wrote();
    await until(() => syncs.calls() > 0);
    expect(openFilesEndingWith("/c.db-wal")).toHaveLength(1);
    flusher.close();
    expect(openFilesEndingWith("/c.db-wal")).toHaveLength(1);
    syncs.finish(0);
    expect(openFilesEndingWith("/c.db-wal")).toHaveLength(0);
    flusher.wrote();
    await Bun.sleep(20);
    expect(syncs.calls()).toBe(1);
  });

  test("no WAL file: nothing is synced and nothing fails", async () => {
    const syncs = heldSyncs();
    const flusher = walFlusher(join(dir, "missing.db-wal"), { delayMs: 1, sync: syncs.sync });
    flusher.wrote();
    await Bun.sleep(20);
    expect(syncs.calls()).toBe(0);
    flusher.close();
  });

  test("fdatasync on the WAL file succeeds; close frees the file", async () => {
    const path = join(dir, "d.db-wal");
    writeFileSync(path, "wal");
    let outcome: NodeJS.ErrnoException | null | undefined;
    const flusher = walFlusher(path, {
      delayMs: 1,
      sync: (fd, done) =>
        fdatasync(fd, (error) => {
          outcome = error;
          done();
        }),
    });
    flusher.wrote();
    await until(() => outcome !== undefined);
    expect(outcome).toBeNull();
    expect(openFilesEndingWith("/d.db-wal")).toHaveLength(1);
    flusher.close();
    expect(openFilesEndingWith("/d.db-wal")).toHaveLength(0);
  });
});

describe("the SQLite store", () => {
  test("usage rows written: the WAL is synced in the background; closed: the file is let go", async () => {
    const store = openStore(join(dir, "store.db"));
    expect(openFilesEndingWith("/store.db-wal")).toHaveLength(0);
    await store.usage.insertMany([usageRow("acc_wal"), usageRow("acc_wal")]);
    await until(() => openFilesEndingWith("/store.db-wal").length > 0);
    expect(openFilesEndingWith("/store.db-wal")).toHaveLength(1);
    expect(await store.usage.recent("acc_wal")).toHaveLength(2);
    store.close();
    await until(() => openFilesEndingWith("/store.db-wal").length === 0);
    expect(openFilesEndingWith("/store.db-wal")).toHaveLength(0);
  });
});
