// Follows a master-key rotation made while this process runs: when the canary names a key this process does
// not hold, the key file (or the rotation's staged file) is read, and a key that opens the canary is adopted.
import { existsSync } from "node:fs";
import type { SettingsRepo } from "../store/repositories/settings.ts";
import type { Logger } from "../telemetry/logger.ts";
import { CANARY_SETTING, canaryOpens } from "./canary.ts";
import { type Cipher, createCipher, sealedKid } from "./cipher.ts";
import { type MasterKey, pendingKeyFile, readKeyFile } from "./master-key.ts";

export interface MasterKeyWatch {
  /** True when this process seals with the master key the database uses now (adopting it first if it can). */
  follow(): Promise<boolean>;
}

export interface WatchDeps {
  settings: SettingsRepo;
  cipher: Cipher;
  /** The key file; undefined when the key comes from KEYWAY_MASTER_KEY (a new one cannot be read then). */
  keyFile: string | undefined;
  logger: Logger;
}

function keyThatOpens(file: string, kid: string, canary: string): MasterKey | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const candidate = readKeyFile(file);
    return candidate.kid === kid && canaryOpens(createCipher(candidate), canary) ? candidate : undefined;
  } catch {
    return undefined;
  }
}

export function watchMasterKey(deps: WatchDeps): MasterKeyWatch {
  let reported: string | undefined;
  return {
    async follow() {
      const canary = await deps.settings.get(CANARY_SETTING);
      const kid = canary === undefined ? undefined : sealedKid(canary);
      if (canary === undefined || kid === undefined || kid === deps.cipher.kid) return true;
      const file = deps.keyFile;
      const found = file === undefined ? undefined : (keyThatOpens(file, kid, canary) ?? keyThatOpens(pendingKeyFile(file), kid, canary));
      if (found) {
        const previous = deps.cipher.kid;
        deps.cipher.adopt({ ...found, source: file ?? found.source });
        deps.logger.warn("adopted the rotated master key", { kid, previous, file });
        return true;
      }
      if (reported !== kid) {
        reported = kid;
        deps.logger.error("the master key was rotated while keyway ran, and this process cannot read the new one: stored keys sealed with it fail until keyway restarts with it", {
          held: deps.cipher.kid,
          database: kid,
          source: file ?? "KEYWAY_MASTER_KEY",
        });
      }
      return false;
    },
  };
}
