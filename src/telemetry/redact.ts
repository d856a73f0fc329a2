// Removes key material from text: known provider and keyway key shapes, bearer tokens, and named secrets.

const KEY_SHAPES = [
  /\bsk-[A-Za-z0-9_*-]{6,}/g, // OpenAI, Anthropic (sk-ant-), OpenRouter, DeepSeek ...
  /\bAIza[0-9A-Za-z_-]{16,}/g, // Google
  /\bpplx-[A-Za-z0-9]{6,}/g, // Perplexity
  /\bkw_[A-Za-z0-9_-]{10,}/g, // keyway keys
  /\bgsk_[A-Za-z0-9]{10,}/g, // Groq
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi,
];

export const REDACTED = "[redacted]";

/** Redacts every key-shaped token, and each of `secrets` wherever it appears. */
export function redactSecrets(text: string, secrets?: readonly (string | undefined)[]): string {
  let out = text;
  if (secrets) {
    for (const secret of secrets) {
      if (secret && secret.length >= 4) out = out.replaceAll(secret, REDACTED);
    }
  }
  for (const shape of KEY_SHAPES) out = out.replace(shape, (match, scheme?: string) => (typeof scheme === "string" && /^(Bearer|Basic)$/i.test(scheme) ? `${scheme} ${REDACTED}` : REDACTED));
  return out;
}

/** Redacts every string inside a JSON-like value (for log fields and stored bodies). */
export function redactValue(value: unknown, secrets?: readonly (string | undefined)[]): unknown {
  if (typeof value === "string") return redactSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = /api[_-]?key|secret|authorization|password|token$/i.test(key) && typeof item === "string" ? REDACTED : redactValue(item, secrets);
    }
    return out;
  }
  return value;
}
