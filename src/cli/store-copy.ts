// `keyway store copy --from ./keyway.db --to postgres://...`: moves an installation from its SQLite file to Postgres,
// with a progress bar on stderr; stored keys stay sealed under the same master key.
import { existsSync } from "node:fs";
import { copyStore, TargetNotEmptyError } from "../store/copy.ts";
import { describeDatabaseUrl } from "../store/database-url.ts";
import { applyPostgresMigrations, openPool } from "../store/postgres/database.ts";
import { openDatabase } from "../store/sqlite/database.ts";
import { unavailable } from "../store/store-errors.ts";
import { parseFlags, UsageError } from "./args.ts";
import { complain, say } from "./output.ts";

export const storeHelp = `keyway store copy --from FILE --to URL [--force]

Copies every table of a SQLite database (FILE, the storage.path of a stopped gateway) into the Postgres database at
URL (postgres://user:password@host:5432/db), migrating it first, in one transaction: a failed copy leaves the target
as it was. A target that already holds rows is refused unless --force, which empties it first. Stored provider keys
are copied sealed, as they are: keep the same master key (security.master_key_file or KEYWAY_MASTER_KEY) for the
gateways on Postgres. Progress goes to stderr. Then set storage: {driver: postgres, url: ...} in the config.`;

const BAR = 30;

function progressBar(copied: number, total: number, table: string): string {
  const share = total === 0 ? 1 : copied / total;
  const filled = Math.round(share * BAR);
  return `\r[${"#".repeat(filled)}${"-".repeat(BAR - filled)}] ${Math.floor(share * 100)}% ${copied}/${total} rows (${table})`;
}

export async function storeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    from: { type: "string" },
    to: { type: "string" },
    force: { type: "boolean" },
  });
  const [action, extra] = positionals;
  if (values.help || action === undefined) {
    say(storeHelp);
    return values.help ? 0 : 1;
  }
  if (action !== "copy") throw new UsageError(`unknown action '${action}'; expected copy`);
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
  if (!values.from) throw new UsageError("--from FILE (the SQLite database) is required");
  if (!values.to) throw new UsageError("--to URL (the Postgres database) is required");
  if (!existsSync(values.from)) throw new UsageError(`no SQLite database at ${values.from}`);
  if (!/^postgres(ql)?:\/\//.test(values.to)) throw new UsageError("--to must be a postgres:// or postgresql:// URL");

  const target = describeDatabaseUrl(values.to);
  const source = openDatabase(values.from);
  const pool = openPool({ url: values.to, poolSize: 2 });
  try {
    try {
      await applyPostgresMigrations(pool);
    } catch (error) {
      throw unavailable(`Postgres at ${target}`, error);
    }
    const interactive = process.stderr.isTTY === true;
    let shown = -1;
    const result = await copyStore(source.sqlite, pool, {
      force: values.force === true,
      onProgress: ({ copied, total, table }) => {
        const percent = total === 0 ? 100 : Math.floor((copied * 100) / total);
        if (!interactive && percent === shown) return;
        shown = percent;
        process.stderr.write(interactive ? progressBar(copied, total, table) : `${progressBar(copied, total, table).slice(1)}\n`);
      },
    });
    if (interactive) process.stderr.write("\n");
    say(`copied ${result.rows} rows of ${result.tables} tables from ${values.from} to ${target}`);
    return 0;
  } catch (error) {
    if (error instanceof TargetNotEmptyError) {
      complain(`keyway store copy: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    source.close();
    await pool.close();
  }
}
