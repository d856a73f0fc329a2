// Finds secrets and personal data in prompts: provider and cloud keys, private keys, card numbers (Luhn),
// US social security numbers and IBANs (mod 97). Reports the kind found, never the text.

export type SensitiveKind = "api_key" | "private_key" | "credit_card" | "ssn" | "iban";

const SECRET_SHAPES: [SensitiveKind, RegExp][] = [
  ["private_key", /-----BEGIN (?:RSA |EC |OPENSSH |DSA |PGP )?PRIVATE KEY-----/],
  ["api_key", /\bsk-(?:ant-|proj-|svcacct-)?[A-Za-z0-9_-]{16,}/],
  ["api_key", /\bAIza[0-9A-Za-z_-]{30,}/],
  ["api_key", /\bpplx-[A-Za-z0-9]{20,}/],
  ["api_key", /\bkw_[A-Za-z0-9_-]{30,}/],
  ["api_key", /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/],
  ["api_key", /\bgh[pousr]_[A-Za-z0-9]{30,}/],
  ["api_key", /\bxox[abprs]-[A-Za-z0-9-]{10,}/],
  ["api_key", /\bgsk_[A-Za-z0-9]{20,}/],
];

const CARD = /\b(?:\d[ -]?){12,18}\d\b/g;
const SSN = /\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b/;
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function ibanValid(candidate: string): boolean {
  const iban = candidate.replace(/ /g, "");
  if (iban.length < 15 || iban.length > 34) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = /[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

export function findSensitive(text: string): SensitiveKind | undefined {
  for (const [kind, shape] of SECRET_SHAPES) if (shape.test(text)) return kind;
  for (const match of text.matchAll(CARD)) {
    const digits = match[0].replace(/[ -]/g, "");
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) return "credit_card";
  }
  if (SSN.test(text)) return "ssn";
  for (const match of text.matchAll(IBAN)) if (ibanValid(match[0])) return "iban";
  return undefined;
}

/** Every piece of text a request carries to the model: messages, prompt, input. */
export function requestText(body: Record<string, unknown>): string {
  const parts: string[] = [];
  const collect = (value: unknown) => {
    if (typeof value === "string") parts.push(value);
    else if (Array.isArray(value)) for (const item of value) collect(item);
    else if (typeof value === "object" && value !== null) {
      const record = value as Record<string, unknown>;
      if (typeof record.text === "string") parts.push(record.text);
      if (record.content !== undefined) collect(record.content);
      if (typeof record.arguments === "string") parts.push(record.arguments);
      if (record.function !== undefined) collect(record.function);
      if (record.tool_calls !== undefined) collect(record.tool_calls);
    }
  };
  collect(body.messages);
  collect(body.prompt);
  collect(body.input);
  return parts.join("\n");
}
