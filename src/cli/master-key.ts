// `keyway master-key rotate`: re-encrypt every stored key under a new master key, in one transaction,
// refused while a gateway holds the database unless --force.
import { complain, say } from "./output.ts";
import { loadConfig } from "../config/load.ts";
import { openConfiguredStore } from "../store/open-configured.ts";
import { createLogger } from "../telemetry/logger.ts";
import { describeLease } from "../vault/gateway-lease.ts";
import { describeHolders, rotateMasterKey } from "../vault/master-key-rotation.ts";
import { parseFlags, UsageError } from "./args.ts";
import { knownNames } from "./known-names.ts";

export const masterKeyHelp = `keyway master-key rotate [--config FILE] [--new-key-file PATH] [--force]

Creates a new master key and re-encrypts every stored provider key with it in one transaction.
With a key file (security.master_key_file), the file is replaced once the database is committed.
With KEYWAY_MASTER_KEY, the new key is written to --new-key-file; set KEYWAY_MASTER_KEY to it.
Refused while a gateway runs on the database: stop every gateway, rotate, start them again.
An interrupted rotation loses nothing and is finished or undone at the next start.
--force rotates under running gateways: those reading the key file pick the new key up; those
started with KEYWAY_MASTER_KEY cannot read stored keys until restarted with the new key.`;

export async function masterKeyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { config: { type: "string", short: "c" }, "new-key-file": { type: "string" }, force: { type: "boolean" } });
  if (values.help || positionals[0] === undefined) {
    say(masterKeyHelp);
    return values.help ? 0 : 1;
  }
  if (positionals[0] !== "rotate") throw new UsageError(`unknown action '${positionals[0]}'; expected rotate`);
  const { config } = loadConfig(values.config, process.env, knownNames);
  const store = await openConfiguredStore(config.storage);
  const logger = createLogger("warn", (line) => process.stderr.write(`${line}\n`));
  try {
    const result = await rotateMasterKey(store, { masterKeyFile: config.security.master_key_file, env: process.env }, logger, {
      newKeyFile: values["new-key-file"],
      force: values.force,
      onForced: (live) =>
        complain(
          `WARNING: ${describeHolders(live, Date.now())}; --force rotates anyway.\n` +
            "WARNING: gateways that read the key file adopt the new key at their next heartbeat or stored-key use; " +
            "gateways started with KEYWAY_MASTER_KEY answer stored_key_unreadable for stored keys until restarted with the new key. " +
            "Prefer: stop every gateway, rotate, start them again.",
        ),
      onProgress: (done, total) => say(`re-encrypted ${done}/${total}`),
    });
    const now = Date.now();
    for (const lease of result.staleLeases) complain(`ignored 1 stale gateway lease (${describeLease(lease, now)}): that gateway stopped without a clean stop`);
    say(`master key rotated: ${result.oldKid} -> ${result.newKid}; ${result.records} stored keys re-encrypted`);
    if (result.fromEnvironment) say(`set KEYWAY_MASTER_KEY to the contents of ${result.newKeyFile} before the next start`);
    return 0;
  } finally {
    store.close();
  }
}
