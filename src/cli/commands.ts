// The keyway command line: every command, its help, and the exit codes (0 ok, 1 user error, 2 internal).
import { say, complain } from "./output.ts";
import { ConfigError } from "../config/errors.ts";
import { GatewayError } from "../core/errors.ts";
import { registerAdapterKeyPatterns } from "../plugin-host/load-configured.ts";
import { PluginError } from "../plugin-host/loader.ts";
import { builtInAdapters } from "../providers/builtin.ts";
import { MasterKeyError } from "../vault/master-key.ts";
import { ListenError } from "../runtime.ts";
import { apiKeysCommand, apiKeysHelp } from "./api-keys.ts";
import { EXIT, UsageError } from "./args.ts";
import { checkCommand, checkHelp } from "./check.ts";
import { keysCommand, keysHelp } from "./keys.ts";
import { masterKeyCommand, masterKeyHelp } from "./master-key.ts";
import { serveCommand, serveHelp } from "./serve.ts";
import { usageCommand, usageHelp } from "./usage.ts";
import { exportCommand, exportHelp } from "./export.ts";
import { migrateCommand, migrateHelp } from "./migrate.ts";
import { pluginCommand, pluginHelp } from "./plugin-init.ts";
import { storeCommand, storeHelp } from "./store-copy.ts";
import { StoreUnavailableError } from "../store/store-errors.ts";
import { versionCommand } from "./version.ts";
import { redactSecrets } from "../telemetry/redact.ts";

const HELP = `keyway: a self-hosted LLM gateway for teams that bring their own provider keys

Usage:
  keyway serve [--config FILE] [--host H] [--port N]
  keyway check [--config FILE]
  keyway migrate [--config FILE]
  keyway store copy --from FILE --to URL [--force]
  keyway version
  keyway api-keys create|list|revoke
  keyway keys add|list|rotate|remove
  keyway master-key rotate
  keyway usage rebuild-rollups
  keyway export --type TYPE [--period NAME] [--format csv|json] > FILE
  keyway plugin init provider|strategy NAME

Run 'keyway <command> --help' for a command's options.

${serveHelp}

${checkHelp}

${migrateHelp}

${storeHelp}

${apiKeysHelp}

${keysHelp}

${masterKeyHelp}

${usageHelp}

${exportHelp}

${pluginHelp}`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number | undefined>> = {
  serve: serveCommand,
  check: checkCommand,
  migrate: migrateCommand,
  store: storeCommand,
  version: versionCommand,
  "api-keys": apiKeysCommand,
  keys: keysCommand,
  "master-key": masterKeyCommand,
  usage: usageCommand,
  export: exportCommand,
  plugin: pluginCommand,
};

export async function main(argv: string[]): Promise<number | undefined> {
  // Whatever fails before the config's plugins load is still reported without the built-in providers' keys.
  registerAdapterKeyPatterns(builtInAdapters.values());
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    say(HELP);
    return name === undefined ? EXIT.user : EXIT.ok;
  }
  if (name === "--version" || name === "-v") return versionCommand();
  const command = COMMANDS[name];
  if (!command) {
    complain(`keyway: unknown command '${name}'\n\n${HELP}`);
    return EXIT.user;
  }
  try {
    return await command(rest);
  } catch (error) {
    if (error instanceof ConfigError) {
      complain(error.describe());
      return EXIT.user;
    }
    if (error instanceof UsageError || error instanceof PluginError || error instanceof GatewayError || error instanceof MasterKeyError || error instanceof ListenError) {
      complain(`keyway ${name}: ${redactSecrets(error.message)}`);
      return EXIT.user;
    }
    if (error instanceof StoreUnavailableError) {
      complain(`keyway ${name}: ${redactSecrets(error.message)}`);
      return EXIT.internal;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    complain(`keyway ${name}: internal error: ${redactSecrets(message)}`);
    return EXIT.internal;
  }
}
