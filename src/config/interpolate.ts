// Replaces ${NAME} and ${NAME:-default} in every string of a parsed config tree, noting what each path read.
// A value that is exactly one unset ${NAME} (no default) is removed, so optional secrets can be left unset;
// an unset ${NAME} inside a longer value is reported, since the value would be missing a part.

/** One `${NAME}` or `${NAME:-default}`; the JSON Schema reuses it to accept interpolated values. */
export const PLACEHOLDER_SOURCE = "\\$\\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\\}";
const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const WHOLE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

export type Env = Record<string, string | undefined>;

export interface Interpolation {
  value: unknown;
  /** Values that were exactly one unset `${NAME}` and were left out, by dotted path (`security.admin_key`). */
  omitted: Map<string, string>;
  /** Values with an unset `${NAME}` (no default) inside longer text, by dotted path: the names. */
  incomplete: Map<string, string[]>;
  /** Every path whose value read the environment: the names it read. */
  read: Map<string, string[]>;
}

const isUnset = (value: string | undefined): value is undefined | "" => value === undefined || value === "";

function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  return parent === "" ? key : `${parent}.${key}`;
}

/** Interpolates a whole tree and records, per path, the variables read and those missing. */
export function interpolateConfig(tree: unknown, env: Env): Interpolation {
  const result: Interpolation = { value: undefined, omitted: new Map(), incomplete: new Map(), read: new Map() };

  const visitString = (text: string, path: string): string | undefined => {
    const whole = WHOLE.exec(text);
    if (whole?.[1] !== undefined && isUnset(env[whole[1]])) {
      result.omitted.set(path, whole[1]);
      return undefined;
    }
    const names: string[] = [];
    const missing: string[] = [];
    const replaced = text.replace(PLACEHOLDER, (_match, name: string, fallback: string | undefined) => {
      names.push(name);
      const found = env[name];
      if (!isUnset(found)) return found;
      if (fallback === undefined) missing.push(name);
      return fallback ?? "";
    });
    if (names.length > 0) result.read.set(path, names);
    if (missing.length > 0) result.incomplete.set(path, missing);
    return replaced;
  };

  const visit = (value: unknown, path: string): unknown => {
    if (typeof value === "string") return visitString(value, path);
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const item of value) {
        const replaced = visit(item, childPath(path, out.length));
        if (replaced !== undefined) out.push(replaced);
      }
      return out;
    }
    if (typeof value === "object" && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        const replaced = visit(item, childPath(path, key));
        if (replaced !== undefined) out[key] = replaced;
      }
      return out;
    }
    return value;
  };

  result.value = visit(tree, "");
  return result;
}

/** The interpolated tree alone. */
export function interpolateEnv(value: unknown, env: Env): unknown {
  return interpolateConfig(value, env).value;
}
