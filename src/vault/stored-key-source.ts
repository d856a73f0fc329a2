// The `stored` key source: an account's (and the caller's team's) stored keys for a provider, spread round-robin, rate-limited keys
// skipped for their Retry-After, retiring keys kept as fallbacks until their grace period ends. Whose turn it is and
// which keys cool down live in a KeyTurns driver (key-turns.ts): this process's memory, or Redis for a fleet.
import { type AttemptOutcome, type CallKeys, type KeyDefaults, type KeySourceDriver, NO_REFS } from "../core/key-source.ts";
import type { Target } from "../core/provider-set.ts";
import type { ProviderKeyRecord, ProviderKeysRepo } from "../store/repositories/provider-keys.ts";
import type { AuditLog } from "./audit-log.ts";
import { type KeyTurns, memoryKeyTurns } from "./key-turns.ts";
import type { StoredKeySettings, Vault } from "./vault.ts";

const LIST_TTL_MS = 5_000;
const DEFAULT_COOLDOWN_S = 30;

export interface StoredKeySource extends KeySourceDriver {
  /** Drop cached key lists (after keys were added, rotated or removed). */
  invalidate(): void;
  /** The default_model a stored key the caller may use (account-wide, or its team's) sets for a provider. */
  defaultModel(accountId: string, provider: string, teamId?: string | null): Promise<string | undefined>;
}

export function storedKeySource(repo: ProviderKeysRepo, vault: Vault, audit: AuditLog, turns: KeyTurns = memoryKeyTurns()): StoredKeySource {
  /** Each account's lists of stored keys by provider, as read last (for LIST_TTL_MS). */
  const lists = new Map<string, Map<string, { records: ProviderKeyRecord[]; until: number }>>();
  const byId = new Map<string, ProviderKeyRecord>();

  /** The account's stored keys for the provider, when read less than LIST_TTL_MS ago. */
  function cachedList(accountId: string, provider: string, now: number): ProviderKeyRecord[] | undefined {
    const cached = lists.get(accountId)?.get(provider);
    return cached && cached.until > now ? cached.records : undefined;
  }

  async function readList(accountId: string, provider: string, now: number): Promise<ProviderKeyRecord[]> {
    const records = await repo.list(accountId, provider, ["active", "retiring"]);
    let byProvider = lists.get(accountId);
    if (!byProvider) lists.set(accountId, (byProvider = new Map()));
    byProvider.set(provider, { records, until: now + LIST_TTL_MS });
    for (const record of records) byId.set(record.id, record);
    return records;
  }

  /** Active keys, and retiring ones still in their grace period. */
  const inService = (records: ProviderKeyRecord[], now: number) => records.filter((r) => r.status === "active" || (r.retireAt !== null && r.retireAt > now));

  async function usable(accountId: string, provider: string, now: number): Promise<ProviderKeyRecord[]> {
    return inService(cachedList(accountId, provider, now) ?? (await readList(accountId, provider, now)), now);
  }

  async function order(records: ProviderKeyRecord[], key: string): Promise<string[]> {
    if (records.length === 0) return [];
    // One key is first whatever the turn and whether it cools down: no turn to take (with Redis, no round trip).
    if (records.length === 1) return [(records[0] as ProviderKeyRecord).id];
    const active = records.filter((r) => r.status === "active");
    const { turn, cooling } = await turns.take(key, records.map((r) => r.id));
    const start = turn % Math.max(1, active.length);
    const spread = [...active.slice(start), ...active.slice(0, start)];
    const cool = (r: ProviderKeyRecord) => cooling.has(r.id);
    const retiring = records.filter((r) => r.status === "retiring");
    return [...spread.filter((r) => !cool(r)), ...retiring.filter((r) => !cool(r)), ...[...spread, ...retiring].filter(cool)].map((r) => r.id);
  }

  /** The keys the call may use among the provider's (account-wide keys serve everyone in the account; a team's, that team only), in turn. */
  function ordered(records: ProviderKeyRecord[], target: Target, call: CallKeys, now: number): Promise<string[]> {
    const teamId = call.teamId ?? null;
    const allowed = inService(records, now).filter((r) => r.teamId === null || r.teamId === teamId);
    return order(allowed, `${call.principal.accountId}\u0000${target.provider.name}`);
  }

  return {
    source: "stored",
    refs(target: Target, call: CallKeys) {
      if (call.storedKeysAllowed === false) return NO_REFS;
      const now = Date.now();
      const { accountId } = call.principal;
      const records = cachedList(accountId, target.provider.name, now);
      if (records === undefined) return readList(accountId, target.provider.name, now).then((read) => ordered(read, target, call, now));
      // Most accounts store no key for most providers: that answer needs no turn taken and no wait.
      return records.length === 0 ? NO_REFS : ordered(records, target, call, now);
    },
    async secret(ref: string) {
      const record = byId.get(ref) ?? (await repo.get(ref));
      if (!record) throw new Error(`stored key ${ref} is gone`);
      return vault.reveal(record);
    },
    defaults(ref: string): KeyDefaults | undefined {
      const record = byId.get(ref);
      if (!record) return undefined;
      // The general settings fill the request; the provider's own (checked against its adapter when stored) and the
      // organization go to the adapter as options.
      const { default_model: _model, max_tokens_default, temperature_default, ...providerSettings } = (record.settings ?? {}) as StoredKeySettings;
      const body: Record<string, unknown> = {};
      if (max_tokens_default !== undefined) body.max_tokens = max_tokens_default;
      if (temperature_default !== undefined) body.temperature = temperature_default;
      const options: Record<string, unknown> = providerSettings;
      if (record.organizationId) options.organization_id = record.organizationId;
      return { body, options };
    },
    report(ref: string, target: Target, call: CallKeys, outcome: AttemptOutcome) {
      if (outcome.kind === "rate_limit") void turns.coolDown(ref, Date.now() + (outcome.retryAfterSeconds ?? DEFAULT_COOLDOWN_S) * 1000);
      audit.recordUse({
        accountId: call.principal.accountId,
        actor: call.principal.keyId,
        action: "key.use",
        keyId: ref,
        provider: target.provider.name,
        outcome: outcome.ok ? "success" : (outcome.kind ?? "failure"),
      });
    },
    invalidate() {
      lists.clear();
      byId.clear();
    },
    async defaultModel(accountId: string, provider: string, teamId?: string | null) {
      const records = await usable(accountId, provider, Date.now());
      for (const record of records) {
        if (record.teamId !== null && record.teamId !== (teamId ?? null)) continue;
        const model = (record.settings as StoredKeySettings | null)?.default_model;
        if (typeof model === "string" && model !== "") return model;
      }
      return undefined;
    },
  };
}
