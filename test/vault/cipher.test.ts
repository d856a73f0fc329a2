import { describe, expect, test } from "bun:test";
import { statSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCipher, DecryptionError, sealedKid, UnknownMasterKeyError } from "../../src/vault/cipher.ts";
import { createKeyFile, generateMasterKey, keyId, MasterKeyError, parseMasterKey, readMasterKey } from "../../src/vault/master-key.ts";

const master = () => {
  const raw = generateMasterKey();
  return { raw, kid: keyId(raw), source: "test" };
};

describe("stored-key cipher", () => {
  test("seals as v1:<kid>:<base64> with a fresh nonce each time, and opens again", async () => {
    const cipher = createCipher(master());
    const a = cipher.encrypt("sk-proj-secret-value", "pk_1", "acc_1");
    const b = cipher.encrypt("sk-proj-secret-value", "pk_1", "acc_1");
    expect(a).toMatch(/^v1:[0-9a-f]{12}:[A-Za-z0-9+/=]+$/);
    expect(sealedKid(a)).toBe(cipher.kid);
    expect(a).not.toBe(b);
    expect(a).not.toContain("secret-value");
    expect(cipher.decrypt(a, "pk_1", "acc_1")).toBe("sk-proj-secret-value");
  });

  test("fails closed: another record, another account, tampering or another master key", async () => {
    const cipher = createCipher(master());
    const sealed = cipher.encrypt("sk-proj-secret-value", "pk_1", "acc_1");
    expect(() => cipher.decrypt(sealed, "pk_2", "acc_1")).toThrow(DecryptionError);
    expect(() => cipher.decrypt(sealed, "pk_1", "acc_2")).toThrow(DecryptionError);
    const body = sealed.split(":")[2] as string;
    const flipped = `${sealed.slice(0, -body.length)}${body.startsWith("A") ? "B" : "A"}${body.slice(1)}`;
    expect(() => cipher.decrypt(flipped, "pk_1", "acc_1")).toThrow(DecryptionError);
    expect(() => cipher.decrypt("sk-plaintext-is-not-sealed", "pk_1", "acc_1")).toThrow(DecryptionError);
    const other = createCipher(master());
    expect(() => other.decrypt(sealed, "pk_1", "acc_1")).toThrow(UnknownMasterKeyError);
    expect(() => other.decrypt(sealed, "pk_1", "acc_1")).toThrow(`record pk_1 is sealed with master key ${cipher.kid}, but this process holds only master key ${other.kid}`);
  });

  test("opens each value with the key its kid names: after adopting a new key, both keys' values open; new ones seal with the new key", () => {
    const first = master();
    const second = master();
    const cipher = createCipher(first);
    const old = cipher.encrypt("sk-old", "pk_1", "acc_1");
    cipher.adopt(second);
    expect(cipher.kid).toBe(second.kid);
    const fresh = cipher.encrypt("sk-new", "pk_2", "acc_1");
    expect(sealedKid(fresh)).toBe(second.kid);
    expect(cipher.decrypt(old, "pk_1", "acc_1")).toBe("sk-old");
    expect(cipher.decrypt(fresh, "pk_2", "acc_1")).toBe("sk-new");
    expect(cipher.holds(first.kid) && cipher.holds(second.kid)).toBe(true);
    expect(cipher.fingerprint("sk-a")).toBe(createCipher(second).fingerprint("sk-a"));
  });

  test("values sealed by the earlier WebCrypto implementation still open (same format)", async () => {
    const m = master();
    const key = await crypto.subtle.importKey("raw", new Uint8Array(m.raw), { name: "AES-GCM" }, false, ["encrypt"]);
    const nonce = crypto.getRandomValues(new Uint8Array(12));
    const additionalData = new TextEncoder().encode("keyway:v1:pk_9:acc_9");
    const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData }, key, new TextEncoder().encode("sk-webcrypto")));
    const value = `v1:${m.kid}:${Buffer.concat([nonce, sealed]).toString("base64")}`;
    expect(createCipher(m).decrypt(value, "pk_9", "acc_9")).toBe("sk-webcrypto");
  });

  test("fingerprints recognise a key without revealing it, per master key", async () => {
    const m = master();
    const one = createCipher(m);
    const two = createCipher(m);
    expect(one.fingerprint("sk-a")).toBe(two.fingerprint("sk-a"));
    expect(one.fingerprint("sk-a")).not.toBe(one.fingerprint("sk-b"));
    expect((createCipher(master())).fingerprint("sk-a")).not.toBe(one.fingerprint("sk-a"));
  });
});

describe("master key", () => {
  test("32 bytes as hex or base64; anything else is refused", () => {
    const raw = generateMasterKey();
    expect(parseMasterKey(Buffer.from(raw).toString("hex"), "t")).toEqual(raw);
    expect(parseMasterKey(Buffer.from(raw).toString("base64"), "t")).toEqual(raw);
    expect(() => parseMasterKey("too-short", "KEYWAY_MASTER_KEY")).toThrow(MasterKeyError);
  });

  test("KEYWAY_MASTER_KEY wins; otherwise the file, created with mode 0600 and never replaced", () => {
    const dir = mkdtempSync(join(tmpdir(), "keyway-mk-"));
    const file = join(dir, "master.key");
    expect(readMasterKey({}, file)).toBeUndefined();
    const created = createKeyFile(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(createKeyFile(file).kid).toBe(created.kid);
    expect(readMasterKey({}, file)?.kid).toBe(created.kid);
    const env = Buffer.from(generateMasterKey()).toString("hex");
    const fromEnv = readMasterKey({ KEYWAY_MASTER_KEY: env }, file);
    expect(fromEnv?.source).toBe("KEYWAY_MASTER_KEY");
    expect(fromEnv?.kid).not.toBe(created.kid);
  });
});
