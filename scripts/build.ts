// `npm run build`: one self-contained executable, dist/keyway. Minified without mangling names (so spans stay
// readable), with bytecode so the binary starts without parsing its JavaScript, and split at each dynamic import so
// a start loads only the chunks `serve` runs (the CLI's other commands, nodemailer, the Postgres driver, the OTel
// SDKs stay unread until used). Compiled twice: the first binary serves a few calls under Bun's bytecode profiler
// (scripts/bytecode-profile.ts), and the second lays its bytecode out by that profile, the code a serving gateway
// uses together, so fewer of the executable's pages are touched. It starts with its JIT reluctant to compile (code
// that runs once at start-up stays interpreted: less memory, a faster start), and `serve` sets the JIT back to its
// normal policy once it listens (src/cli/serve.ts). Then the client package and the plugin kit.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { removePrebuiltDashboard, writePrebuiltDashboard } from "../src/dashboard/prebuilt.ts";
import { buildClient } from "./build-client.ts";
import { buildPluginKit } from "./build-plugin-kit.ts";
import { recordBytecodeProfile } from "./bytecode-profile.ts";

/** How many times more reluctant than normal the JIT is until `serve` listens (measured: 16 gave the lowest idle memory and the fastest start of 1, 4, 16 and 64). */
const START_UP_JIT_POLICY = 16;

const compile = (...extra: string[]) =>
  Bun.spawnSync(
    [process.execPath, "build", "--compile", "--bytecode", `--compile-jit-policy=${START_UP_JIT_POLICY}`, ...extra, "--splitting", "--format=esm", "--minify-whitespace", "--minify-syntax", "src/main.ts", "--outfile", "dist/keyway"],
    { stdout: "inherit", stderr: "inherit" },
  );

mkdirSync("dist", { recursive: true });
// The dashboard, bundled and embedded: written beside its sources for the compile only, removed after.
const dashboardBytes = await writePrebuiltDashboard();
console.log(`dashboard bundle: ${(dashboardBytes / 1024).toFixed(1)} KiB`);
const profileDir = mkdtempSync(join(tmpdir(), "keyway-build-"));
let result: ReturnType<typeof Bun.spawnSync>;
try {
  result = compile();
  if (result.exitCode === 0) {
    const profile = join(profileDir, "bytecode-order");
    // Without the profile the first executable stands: complete, only laid out in the bundler's order.
    const functions = await recordBytecodeProfile("dist/keyway", profile).catch((error: unknown) => {
      console.warn(`bytecode layout skipped (dist/keyway is built without it): the profile run failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    if (functions !== undefined) {
      console.log(`bytecode layout: a run of serve used ${functions} functions`);
      result = compile(`--bytecode-order=${profile}`);
    }
  }
} finally {
  removePrebuiltDashboard();
  rmSync(profileDir, { recursive: true, force: true });
}
if (result.exitCode !== 0) process.exit(result.exitCode ?? 2);
// The TypeScript client package, packages/client/dist; the plugin kit, packages/plugin/dist.
const client = await buildClient();
process.exit(client !== 0 ? client : await buildPluginKit());
