// Replaces ${NAME} and ${NAME:-default} in every string of a parsed config tree.
// A value that is exactly one unset ${NAME} (no default) is removed, so optional secrets can be left unset.

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const WHOLE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

export type Env = Record<string, string | undefined>;

function interpolateString(value: string, env: Env): string | undefined {
  const whole = WHOLE.exec(value);
  if (whole?.[1] !== undefined && (env[whole[1]] === undefined || env[whole[1]] === "")) return undefined;
  return value.replace(PLACEHOLDER, (_match, name: string, fallback: string | undefined) => {
    const found = env[name];
    return found === undefined || found === "" ? (fallback ?? "") : found;
  });
}

export function interpolateEnv(value: unknown, env: Env): unknown {
  if (typeof value === "string") return interpolateString(value, env);
  if (Array.isArray(value)) {
    return value.map((item) => interpolateEnv(item, env)).filter((item) => item !== undefined);
  }
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const replaced = interpolateEnv(item, env);
      if (replaced !== undefined) out[key] = replaced;
    }
    return out;
  }
  return value;
}
