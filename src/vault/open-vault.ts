// Opens the vault: the master key (finishing a master-key rotation a crash interrupted; never creating a key file
// for a database that holds sealed keys), the cipher, the canary check, and the services built on them.
import { existsSync, renameSync, rmSync } from "node:fs";
import type { ProviderSet } from "../core/provider-set.ts";
import type { Store } from "../store/store.ts";
import type { Logger } from "../telemetry/logger.ts";
import { createAuditLog } from "./audit-log.ts";
import { CANARY_SETTING, canaryOpens, verifyMasterKey } from "./canary.ts";
import { type Cipher, createCipher, sealedKid } from "./cipher.ts";
import { createKeyFile, type MasterKey, MasterKeyError, pendingKeyFile, readKeyFile, readMasterKey } from "./master-key.ts";
import { watchMasterKey } from "./master-key-watch.ts";
import { type RotationDeps } from "./rotation.ts";
import { type KeyTurns, memoryKeyTurns } from "./key-turns.ts";
import { storedKeySource } from "./stored-key-source.ts";
import { createVault } from "./vault.ts";
import { createWebhooks } from "../notify/webhooks.ts";

export { pendingKeyFile };

export interface VaultSettings {
  masterKeyFile: string;
  webhookSecret?: string;
  webhookAllowPrivateNetworks?: boolean;
  env: Record<string, string | undefined>;
  /** Stored keys' round robin and cooldowns (shared in Redis for a fleet). Default: this process's memory. */
  keyTurns?: KeyTurns;
}

/**
 * A rotation writes the new key to `<file>.next` before re-encrypting, and renames it over the key file
 * after the commit. Found at start-up, `.next` means a crash: keep whichever key opens the database.
 */
async function recoverRotation(store: Store, file: string, current: MasterKey, logger: Logger): Promise<MasterKey> {
  const next = pendingKeyFile(file);
  if (current.source !== file || !existsSync(next)) return current;
  const canary = await store.settings.get(CANARY_SETTING);
  if (canary !== undefined && !canaryOpens(createCipher(current), canary)) {
    const candidate = readKeyFile(next);
    if (canaryOpens(createCipher(candidate), canary)) {
      renameSync(next, file);
      logger.warn("finished an interrupted master key rotation", { kid: candidate.kid });
      return { ...candidate, source: file };
    }
  }
  rmSync(next, { force: true });
  logger.warn("discarded the new key of an interrupted master key rotation; the database still uses the old one", { kid: current.kid });
  return current;
}

/** The master key, or a new key file when the database has never sealed anything; a missing file for sealed keys is refused. */
async function masterKeyFor(store: Store, settings: VaultSettings, logger: Logger): Promise<MasterKey> {
  const existing = readMasterKey(settings.env, settings.masterKeyFile);
  if (existing) return existing;
  const canary = await store.settings.get(CANARY_SETTING);
  const stored = await store.providerKeys.count();
  if (canary !== undefined || stored > 0) {
    const what = `${stored} stored provider key${stored === 1 ? "" : "s"}${stored === 0 ? " and a canary" : ""}`;
    throw new MasterKeyError(
      `the master key file ${settings.masterKeyFile} does not exist, but this database holds ${what} sealed with master key ${canary === undefined ? "unknown" : (sealedKid(canary) ?? "unknown")}: ` +
        "restore the file from your backup (or set KEYWAY_MASTER_KEY to that key) and start again. No new key file was created: a new key could not open them.",
    );
  }
  const created = createKeyFile(settings.masterKeyFile);
  logger.warn("created a new master key file; back it up: stored provider keys cannot be read without it", { file: settings.masterKeyFile });
  return created;
}

export async function openCipher(store: Store, settings: VaultSettings, logger: Logger): Promise<{ cipher: Cipher; master: MasterKey }> {
  const master = await recoverRotation(store, settings.masterKeyFile, await masterKeyFor(store, settings, logger), logger);
  const cipher = createCipher(master);
  await verifyMasterKey(store.settings, cipher, master.source);
  return { cipher, master };
}

export async function openVault(store: Store, providers: ProviderSet, settings: VaultSettings, logger: Logger) {
  const { cipher, master } = await openCipher(store, settings, logger);
  const watch = watchMasterKey({ settings: store.settings, cipher, keyFile: master.source === settings.masterKeyFile ? settings.masterKeyFile : undefined, logger });
  const audit = createAuditLog(store.audit, logger);
  const vault = createVault(store.providerKeys, cipher, audit, watch);
  const keyTurns = settings.keyTurns ?? memoryKeyTurns();
  const source = storedKeySource(store.providerKeys, vault, audit, keyTurns);
  const webhooks = createWebhooks({ secret: settings.webhookSecret, allowPrivateNetworks: settings.webhookAllowPrivateNetworks, logger });
  const rotation: RotationDeps = { repo: store.providerKeys, vault, audit, webhooks, providers, changed: () => source.invalidate() };
  return { master, cipher, watch, audit, vault, source, webhooks, rotation, keyTurns };
}

export type OpenedVault = Awaited<ReturnType<typeof openVault>>;
