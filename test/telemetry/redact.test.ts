import { beforeAll, describe, expect, test } from "bun:test";
import { registerAdapterKeyPatterns } from "../../src/plugin-host/load-configured.ts";
import { builtInAdapters } from "../../src/providers/builtin.ts";
import { createLogger } from "../../src/telemetry/logger.ts";
import { REDACTED, redactSecrets, redactValue, registerKeyPatterns } from "../../src/telemetry/redact.ts";

// As at start-up: keyway registers the key shapes of every adapter it loads.
beforeAll(() => registerAdapterKeyPatterns(builtInAdapters.values()));

describe("redaction", () => {
  test("key shapes of every seed provider and keyway keys are removed", () => {
    const samples = [
      "sk-proj-Abc123def456ghi789",
      "sk-ant-api03-abcdefghijklmnop",
      "AIzaSyA1234567890abcdefghijklmnop",
      "pplx-abcdef1234567890",
      "kw_AbCdEfGhIjKlMnOpQrStUv",
      "gsk_abcdefghijklmnop1234",
    ];
    for (const key of samples) {
      const out = redactSecrets(`upstream said: bad key ${key}, try again`);
      expect(out).not.toContain(key);
      expect(out).toContain(REDACTED);
      expect(out).toContain("try again");
    }
  });

  test("bearer tokens keep their scheme; named secrets of any shape are removed", () => {
    expect(redactSecrets("Authorization: Bearer abc.def-123456")).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactSecrets("cohere key q9w8e7r6t5y4 refused", ["q9w8e7r6t5y4"])).toBe(`cohere key ${REDACTED} refused`);
  });

  test("structured values: key-named fields and every nested string", () => {
    expect(redactValue({ api_key: "anything", nested: [{ note: "sk-proj-1234567890abcdef" }], count: 3 })).toEqual({
      api_key: REDACTED,
      nested: [{ note: REDACTED }],
      count: 3,
    });
  });

  test("the logger writes JSON lines through the redactor and honours its level", () => {
    const lines: string[] = [];
    const logger = createLogger("info", (line) => lines.push(line));
    logger.debug("hidden");
    logger.info("call", { detail: "used sk-proj-1234567890abcdef" });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] as string);
    expect(entry).toMatchObject({ level: "info", msg: "call", detail: `used ${REDACTED}` });
  });

  test("a string found clean is redacted once a shape that matches it is registered", () => {
    const text = "zz-test-shape-0123456789abcdef";
    // Twice: the second call answers from the strings already found clean.
    expect(redactSecrets(text)).toBe(text);
    expect(redactSecrets(text)).toBe(text);
    registerKeyPatterns([/\bzz-test-shape-[0-9a-f]{16}\b/]);
    expect(redactSecrets(text)).toBe(REDACTED);
    expect(redactValue({ note: text })).toEqual({ note: REDACTED });
  });

  test("the logger says which levels it writes, and redacts its message as well as its fields", () => {
    const lines: string[] = [];
    const logger = createLogger("warn", (line) => lines.push(line));
    expect([logger.enabled("debug"), logger.enabled("info"), logger.enabled("warn"), logger.enabled("error")]).toEqual([false, false, true, true]);
    logger.info("dropped");
    logger.warn("key sk-proj-1234567890abcdef refused", { token: "plain-looking", detail: "kw_AbCdEfGhIjKlMnOpQrStUv" });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ level: "warn", msg: `key ${REDACTED} refused`, token: REDACTED, detail: REDACTED });
  });
});
