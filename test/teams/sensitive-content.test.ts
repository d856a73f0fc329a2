import { describe, expect, test } from "bun:test";
import { findSensitive, ibanValid, luhnValid, requestText } from "../../src/teams/sensitive-content.ts";

describe("sensitive content", () => {
  test("Luhn and IBAN checksums", () => {
    expect(luhnValid("4111111111111111")).toBe(true);
    expect(luhnValid("4111111111111112")).toBe(false);
    expect(ibanValid("GB82 WEST 1234 5698 7654 32")).toBe(true);
    expect(ibanValid("GB82 WEST 1234 5698 7654 33")).toBe(false);
  });

  test("finds each kind, and not look-alikes", () => {
    expect(findSensitive("card: 5500-0000-0000-0004")).toBe("credit_card");
    expect(findSensitive("tracking 1234 5678 9012 3456")).toBeUndefined();
    expect(findSensitive("sk-ant-api03-abcdefghijklmnopqrstuvwx")).toBe("api_key");
    expect(findSensitive("token ghp_abcdefghijklmnopqrstuvwxyz0123456789")).toBe("api_key");
    expect(findSensitive("-----BEGIN RSA PRIVATE KEY-----\nMIIE")).toBe("private_key");
    expect(findSensitive("SSN 078-05-1120")).toBe("ssn");
    expect(findSensitive("call 555-123-4567")).toBeUndefined();
    expect(findSensitive("DE89 3704 0044 0532 0130 00")).toBe("iban");
    expect(findSensitive("the meeting is at 10:30 in room 4")).toBeUndefined();
  });

  test("reads text from messages, content parts, tool calls, prompts and inputs", () => {
    const text = requestText({
      messages: [
        { role: "user", content: [{ type: "text", text: "part one" }] },
        { role: "assistant", content: null, tool_calls: [{ function: { name: "f", arguments: '{"card":"4111"}' } }] },
      ],
      prompt: "a prompt",
      input: ["an input"],
    });
    for (const piece of ["part one", '{"card":"4111"}', "a prompt", "an input"]) expect(text).toContain(piece);
  });
});
