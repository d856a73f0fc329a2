// The stored-key source's offer to a call: the account's keys (and its team's) for the provider, in turn; a list read
// once per few seconds; one key offered without a turn taken (with Redis turns, that is a round trip saved a call).
import { describe, expect, test } from "bun:test";
import type { CallKeys } from "../../src/core/key-source.ts";
import type { Target } from "../../src/core/provider-set.ts";
import type { ProviderKeyRecord, ProviderKeysRepo } from "../../src/store/repositories/provider-keys.ts";
import type { AuditLog } from "../../src/vault/audit-log.ts";
import { type KeyTurns, memoryKeyTurns } from "../../src/vault/key-turns.ts";
import { storedKeySource } from "../../src/vault/stored-key-source.ts";
import type { Vault } from "../../src/vault/vault.ts";

function record(id: string, overrides: Partial<ProviderKeyRecord> = {}): ProviderKeyRecord {
  return {
    id,
    accountId: "acc_1",
    teamId: null,
    provider: "openai",
    label: null,
    environment: null,
    organizationId: null,
    settings: null,
    ciphertext: "v1:kid:sealed",
    hint: "abcd",
    fingerprint: "f",
    status: "active",
    rotationDays: null,
    retireAt: null,
    createdAt: 0,
    rotatedAt: null,
    ...overrides,
  };
}

/** A repository holding `records`, counting its list reads; turns counting the turns taken. */
function sourceOver(records: ProviderKeyRecord[]) {
  const reads = { lists: 0, turns: 0 };
  const repo = {
    async list(accountId: string, provider?: string) {
      reads.lists++;
      return records.filter((r) => r.accountId === accountId && r.provider === provider);
    },
    async get(id: string) {
      return records.find((r) => r.id === id);
    },
  } as unknown as ProviderKeysRepo;
  const memory = memoryKeyTurns();
  const turns: KeyTurns = { ...memory, take: (group, ids) => (reads.turns++, memory.take(group, ids)) };
  const source = storedKeySource(repo, {} as Vault, { recordUse() {} } as unknown as AuditLog, turns);
  return { source, reads };
}

const target = { provider: { name: "openai" } } as Target;
const call = (teamId: string | null = null): CallKeys => ({ principal: { accountId: "acc_1", keyId: "key_1", teamId, role: "developer", operator: false, ipAllowlist: null }, byokOnly: false, teamId });

describe("the stored-key source", () => {
  test("no key for the provider: nothing offered, at once, the list read once for the next calls", async () => {
    const { source, reads } = sourceOver([record("pk_other", { provider: "anthropic" })]);
    expect(await source.refs(target, call())).toEqual([]);
    const again = source.refs(target, call());
    expect(Array.isArray(again) ? again : "a promise").toEqual([]);
    expect(reads).toEqual({ lists: 1, turns: 0 });
  });

  test("one key: offered on every call without a turn taken", async () => {
    const { source, reads } = sourceOver([record("pk_1")]);
    for (let i = 0; i < 3; i++) expect(await source.refs(target, call())).toEqual(["pk_1"]);
    expect(reads).toEqual({ lists: 1, turns: 0 });
  });

  test("two keys: each call takes a turn, so they lead in turn; another team's key is never offered", async () => {
    const { source, reads } = sourceOver([record("pk_1"), record("pk_2"), record("pk_team", { teamId: "team_b" })]);
    const firsts = [];
    for (let i = 0; i < 4; i++) firsts.push((await source.refs(target, call("team_a")))[0]);
    expect(firsts).toEqual(["pk_1", "pk_2", "pk_1", "pk_2"]);
    expect(await source.refs(target, call("team_a"))).not.toContain("pk_team");
    expect(reads.turns).toBe(5);
  });

  test("a retiring key past its grace period is not offered; within it, it follows the active key", async () => {
    const now = Date.now();
    const { source } = sourceOver([record("pk_old", { status: "retiring", retireAt: now - 1_000 }), record("pk_new"), record("pk_grace", { status: "retiring", retireAt: now + 60_000 })]);
    expect(await source.refs(target, call())).toEqual(["pk_new", "pk_grace"]);
  });
});
