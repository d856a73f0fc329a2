// Opens the vault at start-up: the master key (finishing a master-key rotation a crash interrupted),
// the cipher, the canary check, and the services built on them.
import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import type { ProviderSet } from "../gateway/providers.ts";
import type { Store } from "../store/store.ts";
import type { Logger } from "../telemetry/logger.ts";
import { createAuditLog } from "./audit-log.ts";
import { CANARY_SETTING, canaryOpens, verifyMasterKey } from "./canary.ts";
import { type Cipher, createCipher } from "./cipher.ts";
import { keyId, loadMasterKey, type MasterKey, parseMasterKey } from "./master-key.ts";
import { type RotationDeps } from "./rotation.ts";
import { storedKeySource } from "./stored-key-source.ts";
import { createVault } from "./vault.ts";
import { createWebhooks } from "./webhooks.ts";

export const pendingKeyFile = (file: string) => `${file}.next`;

export interface VaultSettings {
  masterKeyFile: string;
  webhookSecret?: string;
  env: Record<string, string | undefined>;
}

/**
 * A rotation writes the new key to `<file>.next` before re-encrypting, and renames it over the key file
 * after the commit. Found at start-up, `.next` means a crash: keep whichever key opens the database.
 */
async function recoverRotation(store: Store, file: string, current: MasterKey, logger: Logger): Promise<MasterKey> {
  const next = pendingKeyFile(file);
  if (current.source !== file || !existsSync(next)) return current;
  const canary = await store.settings.get(CANARY_SETTING);
  if (canary !== undefined && !(await canaryOpens(await createCipher(current), canary))) {
    const raw = parseMasterKey(readFileSync(next, "utf8"), next);
    const candidate = { raw, kid: keyId(raw), source: file };
    if (await canaryOpens(await createCipher(candidate), canary)) {
      renameSync(next, file);
      logger.warn("finished an interrupted master key rotation", { kid: candidate.kid });
      return candidate;
    }
  }
  rmSync(next, { force: true });
  logger.warn("discarded the new key of an interrupted master key rotation; the database still uses the old one", { kid: current.kid });
  return current;
}

export async function openCipher(store: Store, settings: VaultSettings, logger: Logger): Promise<{ cipher: Cipher; master: MasterKey }> {
  const loaded = loadMasterKey(settings.env, settings.masterKeyFile);
  if (loaded.created) logger.warn("created a new master key file; back it up: stored provider keys cannot be read without it", { file: settings.masterKeyFile });
  const master = await recoverRotation(store, settings.masterKeyFile, loaded.key, logger);
  const cipher = await createCipher(master);
  await verifyMasterKey(store.settings, cipher, master.source);
  return { cipher, master };
}

export async function openVault(store: Store, providers: ProviderSet, settings: VaultSettings, logger: Logger) {
  const { cipher, master } = await openCipher(store, settings, logger);
  const audit = createAuditLog(store.audit, logger);
  const vault = createVault(store.providerKeys, cipher, audit);
  const source = storedKeySource(store.providerKeys, vault, audit);
  const webhooks = createWebhooks({ secret: settings.webhookSecret, logger });
  const rotation: RotationDeps = { repo: store.providerKeys, vault, audit, webhooks, providers, changed: () => source.invalidate() };
  return { master, cipher, audit, vault, source, webhooks, rotation };
}

export type OpenedVault = Awaited<ReturnType<typeof openVault>>;
