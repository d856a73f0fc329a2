// Provider key rotation: immediate, or gradual (the new key takes the traffic, the old one stays a fallback
// until the grace period ends); optionally tested first; audited; announced to signed webhooks.
import { GatewayError, invalidRequest } from "../core/errors.ts";
import type { ProviderSet } from "../core/provider-set.ts";
import type { ProviderKeyRecord, ProviderKeysRepo } from "../store/repositories/provider-keys.ts";
import type { AuditLog } from "./audit-log.ts";
import { checkProviderKey } from "./key-check.ts";
import { type Actor, actorOwns, type Vault } from "./vault.ts";
import type { Webhooks } from "../notify/webhooks.ts";

export interface RotateInput {
  provider: string;
  keyId?: string;
  newApiKey: string;
  strategy: "immediate" | "gradual";
  gracePeriodMinutes: number;
  testBeforeSwitch: boolean;
  webhooks: string[];
}

export interface RotateResult {
  status: "rotated" | "rotating";
  provider: string;
  old_key_id: string;
  new_key_id: string;
  rotation_strategy: RotateInput["strategy"];
  old_key_expires_at: string;
}

export interface RotationDeps {
  repo: ProviderKeysRepo;
  vault: Vault;
  audit: AuditLog;
  webhooks: Webhooks;
  providers: ProviderSet;
  /** Called after keys changed, so cached key lists are dropped. */
  changed(): void;
}

async function findOldKey(deps: RotationDeps, actor: Actor, input: RotateInput): Promise<ProviderKeyRecord> {
  if (input.keyId !== undefined) {
    const record = await deps.repo.get(input.keyId);
    if (!record || !actorOwns(actor, record) || record.provider !== input.provider || record.status !== "active") {
      throw new GatewayError("not_found", `No active stored ${input.provider} key '${input.keyId}' in this account.`, { param: "key_id" });
    }
    return record;
  }
  const active = (await deps.repo.list(actor.accountId, input.provider, ["active"])).filter((r) => actorOwns(actor, r));
  if (active.length === 0) {
    throw new GatewayError("not_found", `This account has no active stored ${input.provider} key to rotate; add one with POST /v1/providers/keys.`, { param: "provider" });
  }
  if (active.length > 1) {
    throw invalidRequest(`This account has ${active.length} active ${input.provider} keys; name the one to rotate with 'key_id'.`, "key_id");
  }
  return active[0] as ProviderKeyRecord;
}

export async function rotateProviderKey(deps: RotationDeps, actor: Actor, input: RotateInput): Promise<RotateResult> {
  const provider = deps.providers.get(input.provider);
  if (!provider) throw invalidRequest(`Unknown provider '${input.provider}'.`, "provider");
  await deps.webhooks.accept(input.webhooks);
  const old = await findOldKey(deps, actor, input);
  if (input.testBeforeSwitch) {
    const check = await checkProviderKey(provider, input.newApiKey);
    if (!check.ok) {
      const reason = "unsupported" in check ? `${input.provider} offers no key check` : check.failure.message;
      await deps.audit.record({ accountId: actor.accountId, actor: actor.id, action: "key.rotate", keyId: old.id, provider: input.provider, outcome: "aborted", detail: { reason } });
      if ("unsupported" in check) throw invalidRequest(`Cannot test the new key: ${reason}. Rotate with test_before_switch: false.`, "test_before_switch");
      if (check.failure.unsent) throw invalidRequest(`The new key cannot be used, so nothing was changed: ${reason}`, "new_api_key");
      if (check.failure.kind !== "auth") throw new GatewayError("upstream_error", `Could not test the new key, so nothing was changed: ${reason}`);
      throw new GatewayError("provider_key_invalid", `${input.provider} refused the new key, so nothing was changed: ${reason}`, { param: "new_api_key" });
    }
  }
  const now = Date.now();
  const gradual = input.strategy === "gradual";
  const retireAt = gradual ? now + input.gracePeriodMinutes * 60_000 : now;
  const next = await deps.vault.writeSealed(
    () =>
      deps.vault.seal(actor.accountId, {
        provider: input.provider,
        apiKey: input.newApiKey,
        label: old.label ?? undefined,
        environment: old.environment ?? undefined,
        organizationId: old.organizationId ?? undefined,
        settings: old.settings ?? undefined,
        rotationDays: old.rotationDays ?? undefined,
        teamId: old.teamId,
      }, now),
    (record, check) => deps.repo.rotate(record, old.id, gradual ? "retiring" : "retired", retireAt, check),
  );
  deps.vault.forget(old.id);
  deps.changed();
  const expires = new Date(retireAt).toISOString();
  await deps.audit.record({
    accountId: actor.accountId,
    actor: actor.id,
    action: "key.rotate",
    keyId: old.id,
    provider: input.provider,
    outcome: "success",
    detail: { new_key_id: next.id, strategy: input.strategy, old_key_expires_at: expires, tested: input.testBeforeSwitch },
  });
  deps.webhooks.send(input.webhooks, {
    type: "provider_key.rotated",
    provider: input.provider,
    old_key_id: old.id,
    new_key_id: next.id,
    rotation_strategy: input.strategy,
    old_key_expires_at: expires,
  });
  return {
    status: gradual ? "rotating" : "rotated",
    provider: input.provider,
    old_key_id: old.id,
    new_key_id: next.id,
    rotation_strategy: input.strategy,
    old_key_expires_at: expires,
  };
}

/** Marks retiring keys whose grace period has ended as retired; returns how many. */
export async function retireExpiredKeys(deps: Pick<RotationDeps, "repo" | "audit" | "changed">, now = Date.now()): Promise<number> {
  const due = await deps.repo.dueForRetirement(now);
  for (const record of due) {
    await deps.repo.setStatus(record.id, "retired");
    await deps.audit.record({ accountId: record.accountId, actor: "scheduler", action: "key.retire", keyId: record.id, provider: record.provider, outcome: "success" });
  }
  if (due.length > 0) deps.changed();
  return due.length;
}
