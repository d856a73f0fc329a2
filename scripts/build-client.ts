// Builds packages/client/dist (the `@keyway/client` package): one ES module bundled by Bun.build for any
// runtime (Bun, Node 18+, browsers) and its .d.ts files from tsc, their imports pointed at .js names.
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..", "packages", "client");
const dist = join(root, "dist");

export async function buildClient(): Promise<number> {
  rmSync(dist, { recursive: true, force: true });
  const bundle = await Bun.build({ entrypoints: [join(root, "src", "index.ts")], outdir: dist, target: "browser", format: "esm", sourcemap: "linked" });
  if (!bundle.success) {
    for (const log of bundle.logs) console.error(log);
    return 1;
  }
  const tsc = Bun.spawnSync([join(import.meta.dir, "..", "node_modules", ".bin", "tsc"), "-p", join(root, "tsconfig.json")], { stdout: "inherit", stderr: "inherit" });
  if (tsc.exitCode !== 0) return tsc.exitCode ?? 2;
  for (const name of readdirSync(dist).filter((file) => file.endsWith(".d.ts"))) {
    const path = join(dist, name);
    writeFileSync(path, readFileSync(path, "utf8").replace(/(from\s+"\.\/[\w-]+)\.ts"/g, '$1.js"'));
  }
  return 0;
}

if (import.meta.main) process.exit(await buildClient());
