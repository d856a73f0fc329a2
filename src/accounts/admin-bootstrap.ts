// The operator's admin key: security.admin_key, else KEYWAY_ADMIN_KEY, else created once on first start and shown once.
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

export interface AdminKeySettings {
  /** `security.admin_key` from the config file. */
  configured: string | undefined;
  /** Where KEYWAY_ADMIN_KEY is read when the file names no admin key. */
  env: Record<string, string | undefined>;
}

/** The file's `security.admin_key`, else KEYWAY_ADMIN_KEY; undefined when neither is set. */
export function configuredAdminKey({ configured, env }: AdminKeySettings): string | undefined {
  if (configured !== undefined && configured !== "") return configured;
  const fromEnv = env.KEYWAY_ADMIN_KEY;
  return fromEnv !== undefined && fromEnv !== "" ? fromEnv : undefined;
}

export async function bootstrapAdminKey(store: Store, settings: AdminKeySettings, accountId: string): Promise<AdminKeyOutcome> {
  const configured = configuredAdminKey(settings);
  if (configured !== undefined) return { configuredDigest: digestKey(configured) };
  if ((await store.settings.get(BOOTSTRAPPED)) !== undefined) return {};
  const claimed = await store.settings.setIfAbsent(BOOTSTRAPPED, new Date().toISOString());
  if (!claimed) return {};
  const { key } = await createApiKey(store.apiKeys, { name: "admin", accountId, role: "admin", operator: true });
  return { createdKey: key };
}
