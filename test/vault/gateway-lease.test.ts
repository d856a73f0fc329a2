import { describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { knownNames } from "../../src/cli/known-names.ts";
import { loadConfigFrom } from "../../src/config/load.ts";
import { startRuntime } from "../../src/runtime.ts";
import { openStore } from "../../src/store/sqlite/open-store.ts";
import { createLogger } from "../../src/telemetry/logger.ts";
import { isStale } from "../../src/vault/gateway-lease.ts";
import { rotateMasterKey } from "../../src/vault/master-key-rotation.ts";

const quiet = createLogger("error", () => {});

interface LeaseRow {
  instance_id: string;
  pid: number;
  heartbeat_at: number;
  heartbeat_every_ms: number;
}

function leases(dbPath: string): LeaseRow[] {
  const db = new Database(dbPath);
  try {
    return db.query("SELECT instance_id, pid, heartbeat_at, heartbeat_every_ms FROM gateway_leases").all() as LeaseRow[];
  } finally {
    db.close();
  }
}

async function start(intervalMs: number) {
  const dir = mkdtempSync(join(tmpdir(), "keyway-lease-"));
  const dbPath = join(dir, "k.db");
  const keyFile = join(dir, "master.key");
  const { config } = loadConfigFrom({ storage: { path: dbPath }, security: { master_key_file: keyFile, admin_key: "kw_lease_test_admin_000001" }, server: { port: 0 } }, join(dir, "k.yaml"), {}, knownNames);
  const logs: string[] = [];
  const runtime = await startRuntime({ config, source: join(dir, "k.yaml"), logger: createLogger("debug", (l) => logs.push(l)), leaseIntervalMs: intervalMs });
  return { runtime, dbPath, keyFile, logs };
}

describe("gateway leases", () => {
  test("a running gateway holds one lease row, refreshed every beat, removed on stop", async () => {
    const { runtime, dbPath } = await start(100);
    const [first] = leases(dbPath);
    expect(first).toMatchObject({ pid: process.pid, heartbeat_every_ms: 100 });
    expect(first?.instance_id).toMatch(/^gw_/);
    await Bun.sleep(350);
    const [later] = leases(dbPath);
    expect(later?.instance_id).toBe(first?.instance_id as string);
    expect(later?.heartbeat_at).toBeGreaterThan(first?.heartbeat_at as number);
    await runtime.stop();
    expect(leases(dbPath)).toEqual([]);
  });

  test("a lease is stale after three missed beats", () => {
    const lease = { instanceId: "gw_x", host: "h", pid: 1, startedAt: 0, heartbeatAt: 10_000, heartbeatEveryMs: 5_000 };
    expect(isStale(lease, 24_000)).toBe(false);
    expect(isStale(lease, 25_001)).toBe(true);
  });

  test("a gateway adopts a master key rotated under it at its next heartbeat, without a request", async () => {
    const { runtime, dbPath, keyFile, logs } = await start(100);
    try {
      const store = openStore(dbPath);
      const rotated = await rotateMasterKey(store, { masterKeyFile: keyFile, env: {} }, quiet, { force: true });
      store.close();
      for (let i = 0; i < 30 && !logs.some((l) => l.includes("adopted the rotated master key")); i++) await Bun.sleep(50);
      const adopted = logs.find((l) => l.includes("adopted the rotated master key"));
      expect(JSON.parse(adopted ?? "{}")).toMatchObject({ kid: rotated.newKid, previous: rotated.oldKid });
    } finally {
      await runtime.stop();
    }
  });
});
