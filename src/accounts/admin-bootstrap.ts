// The operator's admin key: from the config/environment, or created once on first start and shown once.
import type { Store } from "../store/store.ts";
import { createApiKey } from "./api-keys.ts";
import { digestKey } from "./key-material.ts";

const BOOTSTRAPPED = "admin_key_bootstrapped";

export interface AdminKeyOutcome {
  /** Digest of a configured admin key, when one is configured. */
  configuredDigest?: string;
  /** A key created by this start, to be printed once. */
  createdKey?: string;
}

export async function bootstrapAdminKey(store: Store, configured: string | undefined, accountId: string): Promise<AdminKeyOutcome> {
  if (configured !== undefined && configured !== "") return { configuredDigest: digestKey(configured) };
  if ((await store.settings.get(BOOTSTRAPPED)) !== undefined) return {};
  const claimed = await store.settings.setIfAbsent(BOOTSTRAPPED, new Date().toISOString());
  if (!claimed) return {};
  const { key } = await createApiKey(store.apiKeys, { name: "admin", accountId, role: "admin", operator: true });
  return { createdKey: key };
}
