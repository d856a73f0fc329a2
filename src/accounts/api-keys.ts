// Issuing, listing and revoking keyway keys; the secret is returned once, at creation.
import type { ApiKeyRecord, ApiKeysRepo } from "../store/repositories/api-keys.ts";
import { newId } from "../store/ids.ts";
import { digestKey, displayPrefix, generateKeywayKey } from "./key-material.ts";

export interface CreateApiKeyInput {
  name: string;
  accountId: string;
  teamId?: string | null;
  role?: ApiKeyRecord["role"];
  operator?: boolean;
  ipAllowlist?: string[] | null;
  expiresAt?: number | null;
}

/** What clients may see of a key: everything but the digest. */
export interface ApiKeyView {
  id: string;
  name: string;
  account_id: string;
  team_id: string | null;
  role: string;
  prefix: string;
  ip_allowlist: string[] | null;
  expires_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function viewApiKey(record: ApiKeyRecord): ApiKeyView {
  return {
    id: record.id,
    name: record.name,
    account_id: record.accountId,
    team_id: record.teamId,
    role: record.role,
    prefix: record.prefix,
    ip_allowlist: record.ipAllowlist ?? null,
    expires_at: iso(record.expiresAt),
    revoked_at: iso(record.revokedAt),
    created_at: iso(record.createdAt) as string,
  };
}

export async function createApiKey(repo: ApiKeysRepo, input: CreateApiKeyInput): Promise<{ key: string; record: ApiKeyRecord }> {
  const key = generateKeywayKey();
  const record: ApiKeyRecord = {
    id: newId("key"),
    accountId: input.accountId,
    teamId: input.teamId ?? null,
    name: input.name,
    role: input.role ?? "developer",
    operator: input.operator ?? false,
    digest: digestKey(key),
    prefix: displayPrefix(key),
    ipAllowlist: input.ipAllowlist ?? null,
    expiresAt: input.expiresAt ?? null,
    revokedAt: null,
    createdAt: Date.now(),
  };
  await repo.insert(record);
  return { key, record };
}
