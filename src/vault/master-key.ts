// The master key that encrypts stored provider keys: from KEYWAY_MASTER_KEY, or a key file (created by open-vault.ts on first start).
import { chmodSync, existsSync, linkSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";

export interface MasterKey {
  raw: Uint8Array;
  /** A short public id of the key (not the key): which key encrypted a record. */
  kid: string;
  /** Where it came from, for messages: `KEYWAY_MASTER_KEY` or the file path. */
  source: string;
}

export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MasterKeyError";
  }
}

/** Where a master-key rotation stages the new key until the database is committed. */
export const pendingKeyFile = (file: string) => `${file}.next`;

/** 32 bytes, written as 64 hex characters or base64 (standard or URL-safe). */
export function parseMasterKey(text: string, source: string): Uint8Array {
  const value = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, "hex") : Buffer.from(value, "base64");
  if (bytes.length !== 32) {
    throw new MasterKeyError(`${source}: the master key must be 32 bytes, written as 64 hex characters or base64 (got ${bytes.length} bytes)`);
  }
  return new Uint8Array(bytes);
}

export function keyId(raw: Uint8Array): string {
  return new Bun.CryptoHasher("sha256").update("keyway-master-key-id").update(raw).digest("hex").slice(0, 12);
}

export function generateMasterKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(32));
}

/** Writes a key file atomically with mode 0600. */
export function writeKeyFile(path: string, raw: Uint8Array): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, `${Buffer.from(raw).toString("base64")}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

/** The master key from KEYWAY_MASTER_KEY, else from the key file; undefined when neither exists. */
export function readMasterKey(env: Record<string, string | undefined>, file: string): MasterKey | undefined {
  const fromEnv = env.KEYWAY_MASTER_KEY;
  if (fromEnv !== undefined && fromEnv.trim() !== "") {
    const raw = parseMasterKey(fromEnv, "KEYWAY_MASTER_KEY");
    return { raw, kid: keyId(raw), source: "KEYWAY_MASTER_KEY" };
  }
  if (!existsSync(file)) return undefined;
  return readKeyFile(file);
}

export function readKeyFile(file: string): MasterKey {
  const raw = parseMasterKey(readFileSync(file, "utf8"), file);
  return { raw, kid: keyId(raw), source: file };
}

/** A new master key in a new key file (mode 0600); never replaces a file that appeared meanwhile (it is read instead). */
export function createKeyFile(file: string): MasterKey {
  const raw = generateMasterKey();
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, `${Buffer.from(raw).toString("base64")}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readKeyFile(file);
    throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
  return { raw, kid: keyId(raw), source: file };
}
