// The keyway executable's entry. The built binary's `serve` first runs itself again with Bun's fetch limit in
// its environment (src/cli/relaunch.ts); the commands are loaded only in the process that runs them.
import { needsRelaunch, relaunch } from "./cli/relaunch.ts";

const argv = process.argv.slice(2);
const code = argv[0] === "serve" && needsRelaunch(process.env) ? await relaunch(argv) : await (await import("./cli/commands.ts")).main(argv);
if (code !== undefined) process.exit(code);
