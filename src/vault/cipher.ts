// AES-256-GCM for stored keys (WebCrypto): random 12-byte nonce, record id and account as additional data,
// `v1:<kid>:<base64(nonce || ciphertext)>`. Decryption fails closed.
import type { MasterKey } from "./master-key.ts";

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DecryptionError";
  }
}

export interface Cipher {
  kid: string;
  encrypt(plaintext: string, recordId: string, accountId: string): Promise<string>;
  decrypt(sealed: string, recordId: string, accountId: string): Promise<string>;
  /** HMAC-SHA256 under a key derived from the master key: recognises a key without revealing it. */
  fingerprint(plaintext: string): string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const aad = (recordId: string, accountId: string) => encoder.encode(`keyway:v1:${recordId}:${accountId}`);

/** Which master key sealed a value (`v1:<kid>:...`), without decrypting it. */
export function sealedKid(sealed: string): string | undefined {
  const [version, kid] = sealed.split(":", 3);
  return version === "v1" ? kid : undefined;
}

export async function createCipher(master: MasterKey): Promise<Cipher> {
  const key = await crypto.subtle.importKey("raw", new Uint8Array(master.raw), { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  const fingerprintKey = new Bun.CryptoHasher("sha256").update("keyway-fingerprint").update(master.raw).digest();
  return {
    kid: master.kid,
    async encrypt(plaintext, recordId, accountId) {
      const nonce = crypto.getRandomValues(new Uint8Array(12));
      const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: aad(recordId, accountId) }, key, encoder.encode(plaintext));
      const out = new Uint8Array(12 + sealed.byteLength);
      out.set(nonce, 0);
      out.set(new Uint8Array(sealed), 12);
      return `v1:${master.kid}:${Buffer.from(out).toString("base64")}`;
    },
    async decrypt(sealed, recordId, accountId) {
      const parts = sealed.split(":");
      if (parts.length !== 3 || parts[0] !== "v1") throw new DecryptionError(`record ${recordId}: not a v1 sealed value`);
      if (parts[1] !== master.kid) {
        throw new DecryptionError(`record ${recordId} was sealed with master key ${parts[1]}, but the loaded master key is ${master.kid}`);
      }
      const bytes = Buffer.from(parts[2] ?? "", "base64");
      if (bytes.length < 12 + 16) throw new DecryptionError(`record ${recordId}: sealed value is truncated`);
      try {
        const plain = await crypto.subtle.decrypt(
          { name: "AES-GCM", iv: bytes.subarray(0, 12), additionalData: aad(recordId, accountId) },
          key,
          bytes.subarray(12),
        );
        return decoder.decode(plain);
      } catch {
        throw new DecryptionError(`record ${recordId} does not decrypt with master key ${master.kid} (tampered, or moved to another record or account)`);
      }
    },
    fingerprint(plaintext) {
      return new Bun.CryptoHasher("sha256", fingerprintKey).update(plaintext).digest("hex");
    },
  };
}
