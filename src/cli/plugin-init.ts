// `keyway plugin init provider|strategy NAME`: writes a working plugin skeleton, its test, package.json and tsconfig
// into a folder of its own, ready for `npm install` and `bun test`.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { VERSION } from "../version.ts";
import { parseFlags, UsageError } from "./args.ts";
import { say } from "./output.ts";
import * as templates from "./plugin-templates.ts";

export const pluginHelp = `keyway plugin init provider|strategy NAME [--dir DIR] [--kit SPEC]

Writes a provider or strategy plugin skeleton that works as written, with its test, package.json and tsconfig.json,
into DIR (default ./NAME). NAME: lower-case letters, digits and '-'. The kit (@keyway/plugin) is a dev dependency
installed as 'keyway', so 'keyway/plugin' resolves in your editor, tsc and bun test as it does in keyway itself;
--kit names another source of it (file:/path/to/packages/plugin, or a tarball from npm pack).
Then: cd DIR && npm install && bun test.`;

export async function pluginCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { dir: { type: "string" }, kit: { type: "string" } });
  if (values.help) {
    say(pluginHelp);
    return 0;
  }
  const [action, kind, name, ...extra] = positionals;
  if (action !== "init" || (kind !== "provider" && kind !== "strategy") || name === undefined || extra.length > 0) {
    throw new UsageError(`usage: ${pluginHelp.split("\n")[0]}`);
  }
  if (!/^[a-z][a-z0-9-]{0,40}$/.test(name)) throw new UsageError(`'${name}' is not a plugin name: use lower-case letters, digits and '-', starting with a letter`);
  const dir = resolve(values.dir ?? name);
  const skeleton = { name, kit: values.kit ?? `npm:@keyway/plugin@${VERSION}` };
  const files: Record<string, string> =
    kind === "provider"
      ? {
          [`${name}-provider.ts`]: templates.providerSource(skeleton),
          "mock.ts": templates.providerMock(skeleton),
          [`${name}.test.ts`]: templates.providerTest(skeleton),
        }
      : { [`${name}-strategy.ts`]: templates.strategySource(skeleton), [`${name}.test.ts`]: templates.strategyTest(skeleton) };
  files["package.json"] = templates.packageJson(skeleton);
  files["tsconfig.json"] = templates.TSCONFIG;
  const taken = Object.keys(files).filter((file) => existsSync(join(dir, file)));
  if (taken.length > 0) throw new UsageError(`${dir} already has ${taken.join(", ")}; nothing was written`);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  say(`wrote a ${kind} plugin '${name}' to ${dir}: ${Object.keys(files).join(", ")}\nnext: cd ${dir} && npm install && bun test`);
  return 0;
}
