// The keyway command line: every command, its help, and the exit codes (0 ok, 1 user error, 2 internal).
import { say, complain } from "./output.ts";
import { ConfigError } from "../config/errors.ts";
import { GatewayError } from "../core/errors.ts";
import { registerAdapterKeyPatterns } from "../plugin-host/load-configured.ts";
import { PluginError } from "../plugin-host/loader.ts";
import { builtInAdapters } from "../providers/builtin.ts";
import { MasterKeyError } from "../vault/master-key.ts";
import { ListenError } from "../runtime.ts";
import { EXIT, UsageError } from "./args.ts";
import { StoreUnavailableError } from "../store/store-errors.ts";
import { versionCommand } from "./version.ts";
import { redactSecrets } from "../telemetry/redact.ts";

const USAGE = `keyway: a self-hosted LLM gateway for teams that bring their own provider keys

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

Run 'keyway <command> --help' for a command's options.`;

/** A command: what it runs and its help text, loaded when asked for (serve never holds the other commands' code). */
interface Command {
  run(argv: string[]): Promise<number | undefined>;
  help?: string;
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => import("./serve.ts").then((m) => ({ run: m.serveCommand, help: m.serveHelp })),
  check: async () => import("./check.ts").then((m) => ({ run: m.checkCommand, help: m.checkHelp })),
  migrate: async () => import("./migrate.ts").then((m) => ({ run: m.migrateCommand, help: m.migrateHelp })),
  store: async () => import("./store-copy.ts").then((m) => ({ run: m.storeCommand, help: m.storeHelp })),
  version: async () => ({ run: versionCommand }),
  "api-keys": async () => import("./api-keys.ts").then((m) => ({ run: m.apiKeysCommand, help: m.apiKeysHelp })),
  keys: async () => import("./keys.ts").then((m) => ({ run: m.keysCommand, help: m.keysHelp })),
  "master-key": async () => import("./master-key.ts").then((m) => ({ run: m.masterKeyCommand, help: m.masterKeyHelp })),
  usage: async () => import("./usage.ts").then((m) => ({ run: m.usageCommand, help: m.usageHelp })),
  export: async () => import("./export.ts").then((m) => ({ run: m.exportCommand, help: m.exportHelp })),
  plugin: async () => import("./plugin-init.ts").then((m) => ({ run: m.pluginCommand, help: m.pluginHelp })),
};

/** The whole help: the usage lines, then each command's own help. */
async function fullHelp(): Promise<string> {
  const commands = await Promise.all(Object.values(COMMANDS).map((load) => load()));
  return [USAGE, ...commands.flatMap((c) => (c.help ? [c.help] : []))].join("\n\n");
}


export async function main(argv: string[]): Promise<number | undefined> {
  // Whatever fails before the config's plugins load is still reported without the built-in providers' keys.
  registerAdapterKeyPatterns(builtInAdapters.values());
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    say(await fullHelp());
    return name === undefined ? EXIT.user : EXIT.ok;
  }
  if (name === "--version" || name === "-v") return versionCommand();
  const load = COMMANDS[name];
  if (!load) {
    complain(`keyway: unknown command '${name}'\n\n${await fullHelp()}`);
    return EXIT.user;
  }
  try {
    return await (await load()).run(rest);
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
