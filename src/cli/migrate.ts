// `keyway migrate`: applies the migrations the configured database lacks (SQLite or Postgres) and names each one,
// for deployments whose gateways start with `storage.migrate: false`.
import { loadConfig } from "../config/load.ts";
import { migrateConfigured } from "../store/migrate-configured.ts";
import { describeStorage } from "../store/open-configured.ts";
import { parseFlags, UsageError } from "./args.ts";
import { knownNames } from "./known-names.ts";
import { say } from "./output.ts";

export const migrateHelp = `keyway migrate [--config FILE]

Applies the migrations the configured database lacks and prints each one applied. Gateways apply them at start-up
unless storage.migrate is false (Postgres replicas); then run this first. Safe to run again, and while gateways run:
migrations apply under a lock, once. Exits 2 when the database cannot be reached.`;

export async function migrateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { config: { type: "string", short: "c" } });
  if (values.help) {
    say(migrateHelp);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const { config } = loadConfig(values.config, process.env, knownNames);
  const applied = await migrateConfigured(config.storage);
  for (const tag of applied) say(`applied ${tag}`);
  say(applied.length === 0 ? `${describeStorage(config.storage)} is up to date` : `${describeStorage(config.storage)}: ${applied.length} migration(s) applied`);
  return 0;
}
