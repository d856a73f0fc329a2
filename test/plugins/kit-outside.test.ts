// The plugin kit as an author outside the repo meets it: the kit built and packed (npm pack), `keyway plugin init`
// skeletons in a temp folder depending on the tarball as `keyway`, type-checked by tsc and tested by bun test (the
// exported provider contract against the skeleton's mock), and the same file loaded by keyway's plugin loader.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadProviderPlugin, loadStrategyPlugin } from "../../src/plugin-host/loader.ts";

const ROOT = join(import.meta.dir, "../..");
const TSC = join(ROOT, "node_modules/.bin/tsc");
let work: string;
let tarball: string;

function run(command: string[], cwd: string, env: Record<string, string> = {}) {
  const done = Bun.spawnSync(command, { cwd, stdout: "pipe", stderr: "pipe", env: { ...process.env, ...env } });
  return { code: done.exitCode, out: `${done.stdout.toString()}${done.stderr.toString()}` };
}

/** `keyway plugin init`, then `npm install` of the kit offline (the editor and test types come as they would from npm). */
function scaffold(kind: "provider" | "strategy", name: string): string {
  const dir = join(work, name);
  const init = run([process.execPath, join(ROOT, "src/main.ts"), "plugin", "init", kind, name, "--dir", dir, "--kit", `file:${tarball}`], work);
  expect(init.code).toBe(0);
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  expect(manifest.devDependencies.keyway).toBe(`file:${tarball}`);
  // The repo's copies of @types/bun stand in for the registry's; the kit itself is installed from its tarball.
  manifest.devDependencies = { keyway: manifest.devDependencies.keyway };
  writeFileSync(join(dir, "package.json"), JSON.stringify(manifest));
  const install = run(["npm", "install", "--offline", "--no-audit", "--no-fund"], dir);
  expect(install.code, install.out).toBe(0);
  mkdirSync(join(dir, "node_modules/@types"), { recursive: true });
  symlinkSync(join(ROOT, "node_modules/@types/bun"), join(dir, "node_modules/@types/bun"));
  symlinkSync(join(ROOT, "node_modules/bun-types"), join(dir, "node_modules/bun-types"));
  return dir;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "keyway-kit-"));
  const build = run([process.execPath, join(ROOT, "scripts/build-plugin-kit.ts")], ROOT);
  expect(build.code, build.out).toBe(0);
  const pack = run(["npm", "pack", "--pack-destination", work], join(ROOT, "packages/plugin"));
  expect(pack.code, pack.out).toBe(0);
  const { version } = JSON.parse(readFileSync(join(ROOT, "packages/plugin/package.json"), "utf8")) as { version: string };
  tarball = join(work, `keyway-plugin-${version}.tgz`);
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the plugin kit, outside the repo", () => {
  test("the package is @keyway/plugin at keyway's version, with JS and declarations for `keyway/plugin` and its testing entry", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, "packages/plugin/package.json"), "utf8"));
    const root = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(manifest.name).toBe("@keyway/plugin");
    expect(manifest.version).toBe(root.version);
    const listed = run(["tar", "-tzf", tarball], work).out.split("\n");
    for (const file of ["package/dist/index.js", "package/dist/index.d.ts", "package/dist/testing.js", "package/dist/testing.d.ts", "package/dist/types/plugins/sdk.d.ts"]) {
      expect(listed).toContain(file);
    }
  });

  test("a provider skeleton type-checks with tsc, passes the exported contract under bun test, and loads in keyway", async () => {
    const dir = scaffold("provider", "acme");
    const tsc = run([TSC, "-p", join(dir, "tsconfig.json")], dir);
    expect(tsc.out).toBe("");
    expect(tsc.code).toBe(0);
    const tested = run([process.execPath, "test"], dir);
    expect(tested.code, tested.out).toBe(0);
    expect(tested.out).toContain("provider contract: acme");
    expect(tested.out).toMatch(/ 6 pass/);
    expect(tested.out).toMatch(/ 0 fail/);
    const adapter = await loadProviderPlugin(join(dir, "acme-provider.ts"), dir);
    expect(adapter.name).toBe("acme");

    // The types are real: a wrong field is a tsc error naming it, not an `any` that lets it through.
    writeFileSync(join(dir, "broken.ts"), `import { defineProvider } from "keyway/plugin";\nexport default defineProvider({ name: "x", otelName: "x", endpoints: { chat: { toUpstream: () => ({ url: 1, headers: {} }) } } });\n`);
    const broken = run([TSC, "-p", join(dir, "tsconfig.json")], dir);
    expect(broken.code).not.toBe(0);
    expect(broken.out).toContain("broken.ts");
    expect(broken.out).toContain("Type 'number' is not assignable to type 'string'");
  }, 60_000);

  test("a strategy skeleton (async plan on the health view) type-checks, passes its test, and loads in keyway", async () => {
    const dir = scaffold("strategy", "smart");
    const tsc = run([TSC, "-p", join(dir, "tsconfig.json")], dir);
    expect(tsc.out).toBe("");
    expect(tsc.code).toBe(0);
    const tested = run([process.execPath, "test"], dir);
    expect(tested.code, tested.out).toBe(0);
    expect(tested.out).toMatch(/ 1 pass/);
    expect((await loadStrategyPlugin(join(dir, "smart-strategy.ts"), dir)).name).toBe("smart");
  }, 60_000);

  test("init refuses a bad name and an existing skeleton, writing nothing", () => {
    const bad = run([process.execPath, join(ROOT, "src/main.ts"), "plugin", "init", "provider", "Bad Name", "--dir", join(work, "bad")], work);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain("'Bad Name' is not a plugin name");
    const first = run([process.execPath, join(ROOT, "src/main.ts"), "plugin", "init", "strategy", "twice", "--dir", join(work, "twice")], work);
    expect(first.code).toBe(0);
    const again = run([process.execPath, join(ROOT, "src/main.ts"), "plugin", "init", "strategy", "twice", "--dir", join(work, "twice")], work);
    expect(again.code).toBe(1);
    expect(again.out).toContain("already has twice-strategy.ts");
  });
});
