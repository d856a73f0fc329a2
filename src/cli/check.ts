// `keyway check`: validate the config and name every problem with its path (exit 1 when there is one), then reach
// the database and Redis counters it names (exit 2 when one cannot be reached).
import { complain, say } from "./output.ts";
import { probeCounters, probeStorage } from "./check-services.ts";
import { loadConfig } from "../config/load.ts";
import { EXIT, parseFlags } from "./args.ts";
import { knownNames } from "./known-names.ts";
import { loadConfiguredPlugins, pluginBaseDir } from "../plugin-host/load-configured.ts";
import { builtInAdapters } from "../providers/builtin.ts";
import { builtInStrategies } from "../routing/builtin.ts";

export const checkHelp = `keyway check [--config FILE]

Validates the config (same discovery as serve). Prints every problem with its path; exits 1 if any.
Then reaches the database (Postgres: connects; both: lists pending migrations) and, with counters.driver redis,
sends Redis a PING; exits 2 if one of them cannot be reached.`;

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
  let reachable = true;
  for (const probe of [await probeStorage(config), await probeCounters(config)]) {
    if (probe === undefined) continue;
    if (probe.ok) say(probe.line);
    else complain(probe.line);
    reachable &&= probe.ok;
  }
  return reachable ? EXIT.ok : EXIT.internal;
}
