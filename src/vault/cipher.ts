// AES-256-GCM for stored keys: random 12-byte nonce, record id and account as additional data,
// `v1:<kid>:<base64(nonce || ciphertext || tag)>`. A value is opened with the master key its kid names
// (a keyring: the sealing key and any key this process held before); an unknown kid or a bad tag fails closed.
import { createCipheriv, createDecipheriv } from "node:crypto";
import type { MasterKey } from "./master-key.ts";

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DecryptionError";
  }
}

/** A sealed value names a master key this process does not hold (the master key was rotated or replaced). */
export class UnknownMasterKeyError extends DecryptionError {
  constructor(
    readonly recordId: string,
    readonly kid: string,
    readonly held: string[],
  ) {
    super(`record ${recordId} is sealed with master key ${kid}, but this process holds only master key ${held.join(", ")}`);
    this.name = "UnknownMasterKeyError";
  }
}

export interface Cipher {
  /** The id of the master key that seals. */
  readonly kid: string;
  encrypt(plaintext: string, recordId: string, accountId: string): string;
  decrypt(sealed: string, recordId: string, accountId: string): string;
  /** HMAC-SHA256 under a key derived from the sealing master key: recognises a key without revealing it. */
  fingerprint(plaintext: string): string;
  holds(kid: string): boolean;
  /** Seals with `master` from now on; values sealed with the keys held before still open. */
  adopt(master: MasterKey): void;
}

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

const aad = (recordId: string, accountId: string) => Buffer.from(`keyway:v1:${recordId}:${accountId}`, "utf8");

/** Which master key sealed a value (`v1:<kid>:...`), without decrypting it. */
export function sealedKid(sealed: string): string | undefined {
  const [version, kid] = sealed.split(":", 3);
  return version === "v1" ? kid : undefined;
}

interface HeldKey {
  raw: Buffer;
  fingerprintKey: Buffer;
}

function hold(master: MasterKey): HeldKey {
  const raw = Buffer.from(master.raw);
  return { raw, fingerprintKey: Buffer.from(new Bun.CryptoHasher("sha256").update("keyway-fingerprint").update(raw).digest()) };
}

export function createCipher(master: MasterKey): Cipher {
  const keys = new Map<string, HeldKey>([[master.kid, hold(master)]]);
  let current = master.kid;
  const sealing = () => keys.get(current) as HeldKey;

  return {
    get kid() {
      return current;
    },
    encrypt(plaintext, recordId, accountId) {
      const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
      const cipher = createCipheriv("aes-256-gcm", sealing().raw, nonce);
      cipher.setAAD(aad(recordId, accountId));
      const body = Buffer.concat([nonce, cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
      return `v1:${current}:${body.toString("base64")}`;
    },
    decrypt(sealed, recordId, accountId) {
      const parts = sealed.split(":");
      if (parts.length !== 3 || parts[0] !== "v1") throw new DecryptionError(`record ${recordId}: not a v1 sealed value`);
      const kid = parts[1] as string;
      const key = keys.get(kid);
      if (!key) throw new UnknownMasterKeyError(recordId, kid, [...keys.keys()]);
      const bytes = Buffer.from(parts[2] ?? "", "base64");
      if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new DecryptionError(`record ${recordId}: sealed value is truncated`);
      try {
        const decipher = createDecipheriv("aes-256-gcm", key.raw, bytes.subarray(0, NONCE_BYTES));
        decipher.setAAD(aad(recordId, accountId));
        decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
        return Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString("utf8");
      } catch {
        throw new DecryptionError(`record ${recordId} does not decrypt with master key ${kid} (tampered, or moved to another record or account)`);
      }
    },
    fingerprint(plaintext) {
      return new Bun.CryptoHasher("sha256", sealing().fingerprintKey).update(plaintext).digest("hex");
    },
    holds: (kid) => keys.has(kid),
    adopt(next) {
      if (!keys.has(next.kid)) keys.set(next.kid, hold(next));
      current = next.kid;
    },
  };
}
