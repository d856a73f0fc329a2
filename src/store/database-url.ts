// How a database URL is named in messages and logs: scheme, user, host, port and database, never the password.

/** `postgres://keyway@db.internal:5432/keyway`: safe to print; an unparseable URL is not repeated at all. */
export function describeDatabaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "(the configured URL, which does not parse)";
  }
  const user = url.username === "" ? "" : `${decodeURIComponent(url.username)}@`;
  const port = url.port === "" ? "" : `:${url.port}`;
  return `${url.protocol}//${user}${url.hostname}${port}${url.pathname}`;
}
