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
  if (added.length > 0) {
    shapes = [...shapes.slice(0, shapes.length - OWN_SHAPES.length), ...added, ...OWN_SHAPES];
    clean.clear();
  }
}

/**
 * Short strings already found to hold no key shape, so a repeated one is not scanned again: log lines repeat most of
 * their values (endpoints, providers, models, account ids, messages), and each scan runs every shape over the text.
 * Bounded (emptied when full) and emptied whenever the shapes change; only for redaction without named secrets.
 */
const clean = new Set<string>();
const CLEAN_MAX_LENGTH = 128;
const CLEAN_MAX_ENTRIES = 4096;

function redactShapes(text: string): string {
  let out = text;
  for (const shape of shapes) out = out.replace(shape, (match, scheme?: string) => (typeof scheme === "string" && /^(Bearer|Basic)$/i.test(scheme) ? `${scheme} ${REDACTED}` : REDACTED));
  return out;
}

export const REDACTED = "[redacted]";

/** Redacts every key-shaped token, and each of `secrets` wherever it appears. */
export function redactSecrets(text: string, secrets?: readonly (string | undefined)[]): string {
  if (secrets) {
    let out = text;
    for (const secret of secrets) {
      if (secret && secret.length >= 4) out = out.replaceAll(secret, REDACTED);
    }
    return redactShapes(out);
  }
  if (text.length > CLEAN_MAX_LENGTH) return redactShapes(text);
  if (clean.has(text)) return text;
  const out = redactShapes(text);
  if (out === text) {
    if (clean.size >= CLEAN_MAX_ENTRIES) clean.clear();
    clean.add(text);
  }
  return out;
}

/** Field names whose string values are secrets whatever they hold. */
const SECRET_NAME = /api[_-]?key|secret|authorization|password|token$/i;
const secretNames = new Map<string, boolean>();

function isSecretName(key: string): boolean {
  let secret = secretNames.get(key);
  if (secret === undefined) {
    secret = SECRET_NAME.test(key);
    if (secretNames.size >= CLEAN_MAX_ENTRIES) secretNames.clear();
    secretNames.set(key, secret);
  }
  return secret;
}

/** Copies each field of `value` into `out`, redacted as redactValue does (for a log line that starts with its own fields). */
export function redactFieldsInto(out: Record<string, unknown>, value: Record<string, unknown>, secrets?: readonly (string | undefined)[]): Record<string, unknown> {
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = value[key];
    out[key] = typeof item === "string" && isSecretName(key) ? REDACTED : redactValue(item, secrets);
  }
  return out;
}

/** Redacts every string inside a JSON-like value (for log fields and stored bodies). */
export function redactValue(value: unknown, secrets?: readonly (string | undefined)[]): unknown {
  if (typeof value === "string") return redactSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets));
  if (typeof value === "object" && value !== null) return redactFieldsInto({}, value as Record<string, unknown>, secrets);
  return value;
}
