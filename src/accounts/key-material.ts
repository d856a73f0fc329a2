// keyway keys: 32 random bytes behind a `kw_` prefix, known to the database only by SHA-256 digest.

export const KEY_PREFIX = "kw_";

export function generateKeywayKey(): string {
  return KEY_PREFIX + Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
}

export function digestKey(key: string): string {
  return Bun.SHA256.hash(key, "hex");
}

/** Enough of a key to recognise it in a list, never enough to use it. */
export function displayPrefix(key: string): string {
  return key.slice(0, KEY_PREFIX.length + 6);
}
