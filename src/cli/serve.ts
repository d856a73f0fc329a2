// `keyway serve`: load the config, start the gateway, stop cleanly on SIGINT/SIGTERM.
import { say } from "./output.ts";
import { loadConfig } from "../config/load.ts";
import { startRuntime } from "../runtime.ts";
import { createLogger } from "../telemetry/logger.ts";
import { parseFlags, UsageError } from "./args.ts";
import { knownNames } from "./known-names.ts";

export const serveHelp = `keyway serve [--config FILE] [--host H] [--port N]

Starts the gateway. Config: --config, then KEYWAY_CONFIG, then ./keyway.yaml, ./keyway.yml,
./keyway.json, ./config/keyway.yaml; with none of them, built-in defaults.`;

export async function serveCommand(argv: string[]): Promise<number | undefined> {
  const { values } = parseFlags(argv, { config: { type: "string", short: "c" }, host: { type: "string" }, port: { type: "string", short: "p" } });
  if (values.help) {
    say(serveHelp);
    return 0;
  }
  const { config, source } = loadConfig(values.config, process.env, knownNames);
  if (values.host !== undefined) config.server.host = values.host;
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port takes a number from 0 to 65535, not '${values.port}'`);
    config.server.port = port;
  }
  const logger = createLogger(config.telemetry.log_level);
  const runtime = await startRuntime({ config, source, logger });
  if (runtime.createdAdminKey) {
    process.stderr.write(
      `\nkeyway created an admin key. It is shown this once; keyway keeps only its hash:\n\n    ${runtime.createdAdminKey}\n\nUse it as 'Authorization: Bearer <key>' to create keys: POST /v1/api-keys.\n\n`,
    );
  }
  logger.info("keyway listening", { url: runtime.url, config: source });
  if (!process.env.BUN_CONFIG_MAX_HTTP_REQUESTS) {
    logger.warn("BUN_CONFIG_MAX_HTTP_REQUESTS is not set: past 256 upstream requests at once, calls wait in a queue. Start keyway with BUN_CONFIG_MAX_HTTP_REQUESTS=65535 in its environment (npm start does).");
  }
  const stop = async (signal: string) => {
    logger.info("stopping", { signal });
    await runtime.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
  return undefined;
}
