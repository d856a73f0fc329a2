// `keyway serve`: load the config, start the gateway, stop cleanly on SIGINT/SIGTERM.
import { say } from "./output.ts";
import { loadConfig } from "../config/load.ts";
import { startRuntime } from "../runtime.ts";
import { createLogger } from "../telemetry/logger.ts";
import { bufferedSink } from "../telemetry/stdout-sink.ts";
import { parseFlags, UsageError } from "./args.ts";
import { knownNames } from "./known-names.ts";
import { HTTP_REQUESTS_LIMIT, HTTP_REQUESTS_VARIABLE, stopWithParent } from "./relaunch.ts";

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
  // The server's lines (the access log above all) go to stdout in batches: no write per request.
  const stdout = bufferedSink();
  const logger = createLogger(config.telemetry.log_level, stdout.sink);
  const runtime = await startRuntime({ config, source, logger });
  if (runtime.createdAdminKey) {
    process.stderr.write(
      `\nkeyway created an admin key. It is shown this once; keyway keeps only its hash:\n\n    ${runtime.createdAdminKey}\n\nUse it as 'Authorization: Bearer <key>' to create keys: POST /v1/api-keys.\n\n`,
    );
  }
  logger.info("keyway listening", { url: runtime.url, config: source });
  // The binary starts with its JIT reluctant to compile (scripts/build.ts), so start-up code that runs once stays
  // interpreted instead of filling memory with machine code; from here on, calls are compiled as usual. (Optional:
  // sources run by a Bun older than the one package.json installs have no JIT policy, and need none.)
  Bun.unsafe.setJITPolicy?.(1);
  if (!process.env[HTTP_REQUESTS_VARIABLE]) {
    logger.warn(`${HTTP_REQUESTS_VARIABLE} is not set: past 256 upstream requests at once, calls wait in a queue. Start keyway with ${HTTP_REQUESTS_VARIABLE}=${HTTP_REQUESTS_LIMIT} in its environment (npm start and the built binary do).`);
  }
  let stopping = false;
  const stop = async (reason: string) => {
    // One stop: a signal sent to the whole process group (a terminal's Ctrl-C, systemd) can arrive twice.
    if (stopping) return;
    stopping = true;
    logger.info("stopping", { signal: reason });
    await runtime.stop();
    stdout.flush();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  stopWithParent(process.env, () => void stop("parent exited"));
  return undefined;
}
