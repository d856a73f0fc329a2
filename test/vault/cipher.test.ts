import { describe, expect, test } from "bun:test";
import { statSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCipher, DecryptionError, sealedKid } from "../../src/vault/cipher.ts";
import { generateMasterKey, keyId, loadMasterKey, MasterKeyError, parseMasterKey } from "../../src/vault/master-key.ts";

const master = () => {
  const raw = generateMasterKey();
  return { raw, kid: keyId(raw), source: "test" };
};

describe("stored-key cipher", () => {
  test("seals as v1:<kid>:<base64> with a fresh nonce each time, and opens again", async () => {
    const cipher = await createCipher(master());
    const a = await cipher.encrypt("sk-proj-secret-value", "pk_1", "acc_1");
    const b = await cipher.encrypt("sk-proj-secret-value", "pk_1", "acc_1");
    expect(a).toMatch(/^v1:[0-9a-f]{12}:[A-Za-z0-9+/=]+$/);
    expect(sealedKid(a)).toBe(cipher.kid);
    expect(a).not.toBe(b);
    expect(a).not.toContain("secret-value");
    expect(await cipher.decrypt(a, "pk_1", "acc_1")).toBe("sk-proj-secret-value");
  });

  test("fails closed: another record, another account, tampering or another master key", async () => {
    const cipher = await createCipher(master());
    const sealed = await cipher.encrypt("sk-proj-secret-value", "pk_1", "acc_1");
    await expect(cipher.decrypt(sealed, "pk_2", "acc_1")).rejects.toBeInstanceOf(DecryptionError);
    await expect(cipher.decrypt(sealed, "pk_1", "acc_2")).rejects.toBeInstanceOf(DecryptionError);
    const body = sealed.split(":")[2] as string;
    const flipped = `${sealed.slice(0, -body.length)}${body.startsWith("A") ? "B" : "A"}${body.slice(1)}`;
    await expect(cipher.decrypt(flipped, "pk_1", "acc_1")).rejects.toBeInstanceOf(DecryptionError);
    await expect(cipher.decrypt("sk-plaintext-is-not-sealed", "pk_1", "acc_1")).rejects.toBeInstanceOf(DecryptionError);
    const other = await createCipher(master());
    await expect(other.decrypt(sealed, "pk_1", "acc_1")).rejects.toThrow(/sealed with master key/);
  });

  test("fingerprints recognise a key without revealing it, per master key", async () => {
    const m = master();
    const one = await createCipher(m);
    const two = await createCipher(m);
    expect(one.fingerprint("sk-a")).toBe(two.fingerprint("sk-a"));
    expect(one.fingerprint("sk-a")).not.toBe(one.fingerprint("sk-b"));
    expect((await createCipher(master())).fingerprint("sk-a")).not.toBe(one.fingerprint("sk-a"));
  });
});

describe("master key", () => {
  test("32 bytes as hex or base64; anything else is refused", () => {
    const raw = generateMasterKey();
    expect(parseMasterKey(Buffer.from(raw).toString("hex"), "t")).toEqual(raw);
    expect(parseMasterKey(Buffer.from(raw).toString("base64"), "t")).toEqual(raw);
    expect(() => parseMasterKey("too-short", "KEYWAY_MASTER_KEY")).toThrow(MasterKeyError);
  });

  test("KEYWAY_MASTER_KEY wins; otherwise the file, created once with mode 0600", () => {
    const dir = mkdtempSync(join(tmpdir(), "keyway-mk-"));
    const file = join(dir, "master.key");
    const created = loadMasterKey({}, file);
    expect(created.created).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = loadMasterKey({}, file);
    expect(again.created).toBe(false);
    expect(again.key.kid).toBe(created.key.kid);
    const env = Buffer.from(generateMasterKey()).toString("hex");
    const fromEnv = loadMasterKey({ KEYWAY_MASTER_KEY: env }, file);
    expect(fromEnv.key.source).toBe("KEYWAY_MASTER_KEY");
    expect(fromEnv.key.kid).not.toBe(created.key.kid);
  });
});
