// `npm run build`: one self-contained executable, dist/keyway. Minified without mangling names (so spans stay
// readable), with bytecode so the binary starts without parsing its JavaScript, and split at each dynamic import so
// a start loads only the chunks `serve` runs (the CLI's other commands, nodemailer, the Postgres driver, the OTel
// SDKs stay unread until used). Then the client package and the plugin kit.
import { mkdirSync } from "node:fs";
import { removePrebuiltDashboard, writePrebuiltDashboard } from "../src/dashboard/prebuilt.ts";
import { buildClient } from "./build-client.ts";
import { buildPluginKit } from "./build-plugin-kit.ts";

mkdirSync("dist", { recursive: true });
// The dashboard, bundled and embedded: written beside its sources for the compile only, removed after.
const dashboardBytes = await writePrebuiltDashboard();
console.log(`dashboard bundle: ${(dashboardBytes / 1024).toFixed(1)} KiB`);
let result: ReturnType<typeof Bun.spawnSync>;
try {
  result = Bun.spawnSync(
    [process.execPath, "build", "--compile", "--bytecode", "--splitting", "--format=esm", "--minify-whitespace", "--minify-syntax", "src/main.ts", "--outfile", "dist/keyway"],
    { stdout: "inherit", stderr: "inherit" },
  );
} finally {
  removePrebuiltDashboard();
}
if (result.exitCode !== 0) process.exit(result.exitCode ?? 2);
// The TypeScript client package, packages/client/dist; the plugin kit, packages/plugin/dist.
const client = await buildClient();
process.exit(client !== 0 ? client : await buildPluginKit());
