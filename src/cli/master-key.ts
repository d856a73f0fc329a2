// `keyway master-key rotate`: re-encrypt every stored key under a new master key, in one transaction.
import { say } from "./output.ts";
import { loadConfig } from "../config/load.ts";
import { openStore } from "../store/store.ts";
import { createLogger } from "../telemetry/logger.ts";
import { rotateMasterKey } from "../vault/master-key-rotation.ts";
import { parseFlags, UsageError } from "./args.ts";
import { knownNames } from "./known-names.ts";

export const masterKeyHelp = `keyway master-key rotate [--config FILE] [--new-key-file PATH]

Creates a new master key and re-encrypts every stored provider key with it in one transaction.
With a key file (security.master_key_file), the file is replaced once the database is committed.
With KEYWAY_MASTER_KEY, the new key is written to --new-key-file; set KEYWAY_MASTER_KEY to it.
Stop the gateway first; an interrupted rotation loses nothing and is finished or undone at the next start.`;

export async function masterKeyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { config: { type: "string", short: "c" }, "new-key-file": { type: "string" } });
  if (values.help || positionals[0] === undefined) {
    say(masterKeyHelp);
    return values.help ? 0 : 1;
  }
  if (positionals[0] !== "rotate") throw new UsageError(`unknown action '${positionals[0]}'; expected rotate`);
  const { config } = loadConfig(values.config, process.env, knownNames);
  const store = openStore(config.storage.path);
  const logger = createLogger("warn", (line) => process.stderr.write(`${line}\n`));
  try {
    const result = await rotateMasterKey(
      store,
      { masterKeyFile: config.security.master_key_file, webhookSecret: config.security.webhook_secret, env: process.env },
      logger,
      { newKeyFile: values["new-key-file"], onProgress: (done, total) => say(`re-encrypted ${done}/${total}`) },
    );
    say(`master key rotated: ${result.oldKid} -> ${result.newKid}; ${result.records} stored keys re-encrypted`);
    if (result.fromEnvironment) say(`set KEYWAY_MASTER_KEY to the contents of ${result.newKeyFile} before the next start`);
    return 0;
  } finally {
    store.close();
  }
}
