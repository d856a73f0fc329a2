// Builds packages/plugin/dist (the `@keyway/plugin` kit) from the one source of the contract: src/plugin-host/public-module.ts
// (what plugins the binary loads get as `keyway/plugin`) and src/plugin-kit/testing.ts (the contract suite, the mock
// upstream). JavaScript bundled by Bun.build for Bun; .d.ts from tsc, their imports pointed at .js names.
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const ROOT = join(import.meta.dir, "..");
const KIT = join(ROOT, "packages", "plugin");
const DIST = join(KIT, "dist");

const ENTRIES = [
  { name: "index", source: "src/plugin-host/public-module.ts", types: "./types/plugin-host/public-module.js" },
  { name: "testing", source: "src/plugin-kit/testing.ts", types: "./types/plugin-kit/testing.js" },
];

function declarationFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return declarationFiles(path);
    return name.endsWith(".d.ts") ? [path] : [];
  });
}

/** tsc declares every file the entries load; only those the entries' declarations reach are kept. */
function pruneUnreachable(): void {
  const reached = new Set<string>();
  const queue = ENTRIES.map((entry) => join(DIST, `${entry.name}.d.ts`));
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (reached.has(file)) continue;
    reached.add(file);
    for (const match of readFileSync(file, "utf8").matchAll(/(?:from\s+|import\()"(\.\.?\/[^"]+)\.js"/g)) {
      queue.push(join(dirname(file), `${match[1]}.d.ts`));
    }
  }
  for (const path of declarationFiles(join(DIST, "types"))) if (!reached.has(path)) rmSync(path);
}

export async function buildPluginKit(): Promise<number> {
  rmSync(DIST, { recursive: true, force: true });
  for (const entry of ENTRIES) {
    const bundle = await Bun.build({ entrypoints: [join(ROOT, entry.source)], outdir: DIST, naming: `${entry.name}.js`, target: "bun", format: "esm" });
    if (!bundle.success) {
      for (const log of bundle.logs) console.error(log);
      return 1;
    }
  }
  const tsc = Bun.spawnSync([join(ROOT, "node_modules", ".bin", "tsc"), "-p", join(KIT, "tsconfig.json")], { stdout: "inherit", stderr: "inherit" });
  if (tsc.exitCode !== 0) return tsc.exitCode ?? 2;
  for (const path of declarationFiles(join(DIST, "types"))) {
    writeFileSync(path, readFileSync(path, "utf8").replace(/((?:from\s+|import\()"\.\.?\/[^"]*?)\.ts"/g, '$1.js"'));
  }
  for (const entry of ENTRIES) writeFileSync(join(DIST, `${entry.name}.d.ts`), `export * from "${entry.types}";\n`);
  pruneUnreachable();
  return 0;
}

if (import.meta.main) process.exit(await buildPluginKit());
