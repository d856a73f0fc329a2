// The error for a configured database keyway cannot use (unreachable, refusing us, lacking migrations): the CLI
// prints its message, which names the database without its password, and exits 2.

export class StoreUnavailableError extends Error {
  override name = "StoreUnavailableError";
}

/** The reason a driver gave, on one line and without a stack. */
export function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}

/** `cannot reach <where>: <reason>` when no connection was made, else `cannot use <where>: <reason>`. */
export function unavailable(where: string, error: unknown): StoreUnavailableError {
  const code = (error as { code?: unknown } | null)?.code;
  const verb = typeof code === "string" && code.startsWith("ERR_POSTGRES_CONNECTION") ? "reach" : "use";
  return new StoreUnavailableError(`cannot ${verb} ${where}: ${reasonOf(error)}`);
}
