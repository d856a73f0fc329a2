// Removes key material from text: the key shapes the provider adapters declare (`keyPatterns`, registered when
// keyway loads its adapters), keyway's own keys, bearer tokens, and named secrets.

/** keyway's own shapes; provider shapes come from the adapters. */
const OWN_SHAPES = [
  /\bkw_[A-Za-z0-9_-]{10,}/g, // keyway keys
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi,
];

let shapes: RegExp[] = [...OWN_SHAPES];
const registered = new Set<string>();

/**
 * Makes the redactor find these provider key shapes from now on (once each; never forgotten). Called with every
 * adapter keyway loads, built-in or plugin, before it serves or reports anything.
 */
export function registerKeyPatterns(patterns: Iterable<RegExp>): void {
  const added: RegExp[] = [];
  for (const pattern of patterns) {
    const flags = pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`;
    const id = `${pattern.source}/${flags}`;
    if (registered.has(id)) continue;
    registered.add(id);
    added.push(new RegExp(pattern.source, flags));
  }
  // Provider shapes first: a longer provider match is never cut short by a generic one.
  if (added.length > 0) shapes = [...shapes.slice(0, shapes.length - OWN_SHAPES.length), ...added, ...OWN_SHAPES];
}

export const REDACTED = "[redacted]";

/** Redacts every key-shaped token, and each of `secrets` wherever it appears. */
export function redactSecrets(text: string, secrets?: readonly (string | undefined)[]): string {
  let out = text;
  if (secrets) {
    for (const secret of secrets) {
      if (secret && secret.length >= 4) out = out.replaceAll(secret, REDACTED);
    }
  }
  for (const shape of shapes) out = out.replace(shape, (match, scheme?: string) => (typeof scheme === "string" && /^(Bearer|Basic)$/i.test(scheme) ? `${scheme} ${REDACTED}` : REDACTED));
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
