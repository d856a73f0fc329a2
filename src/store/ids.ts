// Record ids: a short type prefix and 16 random bytes, URL-safe.

export function newId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `${prefix}_${Buffer.from(bytes).toString("base64url")}`;
}
