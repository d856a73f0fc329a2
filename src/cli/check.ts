// `keyway check`: validate the config and name every problem with its path; exit 1 when there is one.
import { say } from "./output.ts";
import { loadConfig } from "../config/load.ts";
import { parseFlags } from "./args.ts";
import { knownNames } from "./known-names.ts";
import { loadConfiguredPlugins, pluginBaseDir } from "../plugin-host/load-configured.ts";
import { builtInAdapters } from "../providers/builtin.ts";
import { builtInStrategies } from "../routing/builtin.ts";

export const checkHelp = `keyway check [--config FILE]

Validates the config (same discovery as serve). Prints every problem with its path; exits 1 if any.`;

export async function checkCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { config: { type: "string", short: "c" } });
  if (values.help) {
    say(checkHelp);
    return 0;
  }
  const { config, source } = loadConfig(values.config, process.env, knownNames);
  const { adapters, strategies } = await loadConfiguredPlugins(config, pluginBaseDir(source));
  const plugins = adapters.size - builtInAdapters.size + strategies.size - builtInStrategies.size;
  const providers = Object.keys(config.providers).join(", ");
  say(`config ok (${source}): providers ${providers}; ${plugins} plugin(s) loaded; listening on ${config.server.host}:${config.server.port}`);
  return 0;
}
