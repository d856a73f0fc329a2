// The canary: a known text sealed in `settings`. It proves at start-up that the loaded master key is the one
// the database was sealed with, and its kid says which master key the database uses now.
import type { SettingsRepo } from "../store/repositories/settings.ts";
import { type Cipher, sealedKid } from "./cipher.ts";
import { MasterKeyError } from "./master-key.ts";

const CANARY_SETTING = "vault_canary";
const CANARY_TEXT = "keyway-vault-canary";
const CANARY_RECORD = "canary";
const CANARY_ACCOUNT = "system";

export function sealCanary(cipher: Cipher): string {
  return cipher.encrypt(CANARY_TEXT, CANARY_RECORD, CANARY_ACCOUNT);
}

export function canaryOpens(cipher: Cipher, sealed: string): boolean {
  try {
    return cipher.decrypt(sealed, CANARY_RECORD, CANARY_ACCOUNT) === CANARY_TEXT;
  } catch {
    return false;
  }
}

/** Seals the canary on first use; afterwards refuses a master key that does not open it. */
export async function verifyMasterKey(settings: SettingsRepo, cipher: Cipher, source: string): Promise<void> {
  const existing = await settings.get(CANARY_SETTING);
  if (existing === undefined) {
    await settings.setIfAbsent(CANARY_SETTING, sealCanary(cipher));
    return;
  }
  if (canaryOpens(cipher, existing)) return;
  throw new MasterKeyError(
    `the master key from ${source} (id ${cipher.kid}) is not the one this database was encrypted with (id ${sealedKid(existing) ?? "unknown"}). ` +
      "Start keyway with the original master key (KEYWAY_MASTER_KEY or security.master_key_file); stored provider keys cannot be read with any other.",
  );
}

export { CANARY_SETTING };
