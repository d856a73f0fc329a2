// `keyway master-key rotate`: a new master key, every stored key re-encrypted in one transaction.
// The new key is written before anything changes and put in place only after the commit,
// so a rotation killed at any point loses nothing (open-vault.ts finishes or discards it at start-up).
import { renameSync } from "node:fs";
import type { Store } from "../store/store.ts";
import { DEFAULT_ACCOUNT_ID } from "../store/accounts-repo.ts";
import type { Logger } from "../telemetry/logger.ts";
import { createAuditLog } from "./audit-log.ts";
import { CANARY_SETTING, sealCanary } from "./canary.ts";
import { createCipher } from "./cipher.ts";
import { generateMasterKey, keyId, MasterKeyError, writeKeyFile } from "./master-key.ts";
import { openCipher, pendingKeyFile, type VaultSettings } from "./open-vault.ts";

export interface MasterKeyRotation {
  oldKid: string;
  newKid: string;
  records: number;
  /** Where the new key is now: the key file, or the file named for an environment-held key. */
  newKeyFile: string;
  fromEnvironment: boolean;
}

export async function rotateMasterKey(
  store: Store,
  settings: VaultSettings,
  logger: Logger,
  options: { newKeyFile?: string; onProgress?(done: number, total: number): void } = {},
): Promise<MasterKeyRotation> {
  const { cipher: current, master } = await openCipher(store, settings, logger);
  const fromEnvironment = master.source !== settings.masterKeyFile;
  if (fromEnvironment && !options.newKeyFile) {
    throw new MasterKeyError("the master key comes from KEYWAY_MASTER_KEY: name a file for the new key with --new-key-file");
  }
  const raw = generateMasterKey();
  const staged = fromEnvironment ? (options.newKeyFile as string) : pendingKeyFile(settings.masterKeyFile);
  writeKeyFile(staged, raw);
  const next = await createCipher({ raw, kid: keyId(raw), source: staged });
  const records = await store.providerKeys.all();
  const updates = [];
  for (const [index, record] of records.entries()) {
    const plain = await current.decrypt(record.ciphertext, record.id, record.accountId);
    updates.push({ id: record.id, ciphertext: await next.encrypt(plain, record.id, record.accountId), fingerprint: next.fingerprint(plain) });
    if ((index + 1) % 100 === 0 || index + 1 === records.length) options.onProgress?.(index + 1, records.length);
  }
  await store.providerKeys.reseal(updates, CANARY_SETTING, await sealCanary(next));
  if (!fromEnvironment) renameSync(staged, settings.masterKeyFile);
  const audit = createAuditLog(store.audit, logger);
  await audit.record({
    accountId: DEFAULT_ACCOUNT_ID,
    actor: "cli",
    action: "master_key.rotate",
    outcome: "success",
    detail: { old_kid: master.kid, new_kid: next.kid, records: records.length },
  });
  return { oldKid: master.kid, newKid: next.kid, records: records.length, newKeyFile: fromEnvironment ? staged : settings.masterKeyFile, fromEnvironment };
}
