// `keyway master-key rotate`: a new master key, every stored key re-encrypted in one transaction.
// Refused while a gateway holds the database (a live lease) unless forced. The new key is written before anything
// changes and put in place only after the commit, so a rotation killed at any point loses nothing (open-vault.ts
// finishes or discards it at start-up). The transaction re-reads every record, so a key stored meanwhile is resealed too.
import { renameSync, rmSync } from "node:fs";
import type { GatewayLease } from "../store/repositories/gateway-leases.ts";
import type { ProviderKeyRecord, Resealed } from "../store/repositories/provider-keys.ts";
import type { Store } from "../store/store.ts";
import { DEFAULT_ACCOUNT_ID } from "../store/repositories/accounts.ts";
import type { Logger } from "../telemetry/logger.ts";
import { createAuditLog } from "./audit-log.ts";
import { CANARY_SETTING, sealCanary } from "./canary.ts";
import { type Cipher, createCipher, DecryptionError, sealedKid } from "./cipher.ts";
import { describeLease, leaseStaleAfterSeconds, splitLeases } from "./gateway-lease.ts";
import { generateMasterKey, keyId, MasterKeyError, readKeyFile, writeKeyFile } from "./master-key.ts";
import { openCipher, pendingKeyFile, type VaultSettings } from "./open-vault.ts";

export interface MasterKeyRotation {
  oldKid: string;
  newKid: string;
  records: number;
  /** Where the new key is now: the key file, or the file named for an environment-held key. */
  newKeyFile: string;
  fromEnvironment: boolean;
  /** Leases of gateways that stopped beating (killed), ignored. */
  staleLeases: GatewayLease[];
}

export interface RotationOptions {
  newKeyFile?: string;
  /** Rotate even while gateways hold the database. */
  force?: boolean;
  /** Told about the live gateways a forced rotation goes ahead under. */
  onForced?(live: GatewayLease[]): void;
  onProgress?(done: number, total: number): void | Promise<void>;
}

/** A gateway holds the database: rotating now would leave it with the old key. */
export class GatewaysRunningError extends MasterKeyError {
  constructor(readonly live: GatewayLease[]) {
    super(gatewaysRunningMessage(live, Date.now()));
    this.name = "GatewaysRunningError";
  }
}

/** `2 gateways hold this database (instance ... on host, pid ..., last heartbeat 1 s ago; ...)` */
export function describeHolders(live: GatewayLease[], now: number): string {
  const count = live.length === 1 ? "1 gateway holds" : `${live.length} gateways hold`;
  return `${count} this database (${live.map((l) => describeLease(l, now)).join("; ")})`;
}

export function gatewaysRunningMessage(live: GatewayLease[], now: number): string {
  const staleAfter = Math.max(...live.map(leaseStaleAfterSeconds));
  return (
    `${describeHolders(live, now)}. Rotating now would leave it sealing and reading keys with the old master key. ` +
    "Stop every gateway that uses this database, run keyway master-key rotate, then start them again (they read the new key). " +
    `A gateway killed without a clean stop lets go ${staleAfter} s after its last heartbeat. --force rotates anyway.`
  );
}

function resealer(current: Cipher, next: Cipher) {
  return (record: ProviderKeyRecord): Resealed => {
    let plain: string;
    try {
      plain = current.decrypt(record.ciphertext, record.id, record.accountId);
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
      throw new MasterKeyError(`${error.message}; nothing was changed. Remove that key (keyway keys remove ${record.id}), store it again, then rotate.`);
    }
    return { id: record.id, ciphertext: next.encrypt(plain, record.id, record.accountId), fingerprint: next.fingerprint(plain) };
  };
}

/** Puts the staged key in place; a gateway starting meanwhile may have done so already (open-vault.ts). */
function placeKeyFile(staged: string, file: string, kid: string): void {
  try {
    renameSync(staged, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT" || readKeyFile(file).kid !== kid) throw error;
  }
}

export async function rotateMasterKey(store: Store, settings: VaultSettings, logger: Logger, options: RotationOptions = {}): Promise<MasterKeyRotation> {
  const { cipher: current, master } = await openCipher(store, settings, logger);
  const fromEnvironment = master.source !== settings.masterKeyFile;
  if (fromEnvironment && !options.newKeyFile) {
    throw new MasterKeyError("the master key comes from KEYWAY_MASTER_KEY: name a file for the new key with --new-key-file");
  }
  const { live, stale } = splitLeases(await store.gatewayLeases.all(), Date.now());
  if (live.length > 0 && !options.force) throw new GatewaysRunningError(live);
  if (live.length > 0) options.onForced?.(live);

  const raw = generateMasterKey();
  const staged = fromEnvironment ? (options.newKeyFile as string) : pendingKeyFile(settings.masterKeyFile);
  writeKeyFile(staged, raw);
  const next = createCipher({ raw, kid: keyId(raw), source: staged });
  const reseal = resealer(current, next);

  let records: number;
  try {
    // Prepared outside the transaction (progress shown); the transaction re-reads and keeps what did not change.
    const prepared = new Map<string, { from: string; to: Resealed }>();
    const before = await store.providerKeys.all();
    for (const [index, record] of before.entries()) {
      prepared.set(record.id, { from: record.ciphertext, to: reseal(record) });
      if ((index + 1) % 100 === 0 || index + 1 === before.length) {
        await options.onProgress?.(index + 1, before.length);
        await Bun.sleep(0);
      }
    }
    records = await store.providerKeys.resealAll({
      canarySetting: CANARY_SETTING,
      canary: sealCanary(next),
      admit({ canary, leases }) {
        if (canary !== undefined && sealedKid(canary) !== current.kid) {
          throw new MasterKeyError(`another master key rotation finished first (the database now uses master key ${sealedKid(canary) ?? "unknown"}); nothing was changed`);
        }
        const running = splitLeases(leases, Date.now()).live;
        if (running.length > 0 && !options.force) throw new GatewaysRunningError(running);
      },
      reseal(record) {
        const ready = prepared.get(record.id);
        return ready !== undefined && ready.from === record.ciphertext ? ready.to : reseal(record);
      },
    });
  } catch (error) {
    rmSync(staged, { force: true });
    throw error;
  }
  if (!fromEnvironment) placeKeyFile(staged, settings.masterKeyFile, next.kid);
  for (const lease of stale) await store.gatewayLeases.remove(lease.instanceId);
  const audit = createAuditLog(store.audit, logger);
  await audit.record({
    accountId: DEFAULT_ACCOUNT_ID,
    actor: "cli",
    action: "master_key.rotate",
    outcome: "success",
    detail: { old_kid: master.kid, new_kid: next.kid, records, forced_past_gateways: options.force ? live.length : 0 },
  });
  return { oldKid: master.kid, newKid: next.kid, records, newKeyFile: fromEnvironment ? staged : settings.masterKeyFile, fromEnvironment, staleLeases: stale };
}
