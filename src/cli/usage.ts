// `keyway usage rebuild-rollups`: recomputes the hourly usage rollups from the raw usage rows, slice by slice,
// with its progress on stderr.
import { loadConfig } from "../config/load.ts";
import { openConfiguredStore } from "../store/open-configured.ts";
import { parseFlags, UsageError } from "./args.ts";
import { knownNames } from "./known-names.ts";
import { say } from "./output.ts";

export const usageHelp = `keyway usage rebuild-rollups [--config FILE]

Recomputes the hourly usage rollups from the raw usage rows (after a restore or an upgrade). Hours that still have
raw rows are cleared and rebuilt; older hours, whose raw rows retention deleted, keep their rollups. A running
gateway may keep writing meanwhile. Progress goes to stderr.`;

const SLICE_ROWS = 5_000;

export async function usageCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { config: { type: "string", short: "c" } });
  const [action, extra] = positionals;
  if (values.help || action === undefined) {
    say(usageHelp);
    return values.help ? 0 : 1;
  }
  if (action !== "rebuild-rollups") throw new UsageError(`unknown action '${action}'; expected rebuild-rollups`);
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
  const { config } = loadConfig(values.config, process.env, knownNames);
  const store = await openConfiguredStore(config.storage);
  try {
    const rebuild = await store.usageRollups.startRebuild();
    const progress = (done: number) => {
      const percent = rebuild.total === 0 ? 100 : Math.floor((done * 100) / rebuild.total);
      process.stderr.write(`\rrebuilding usage rollups: ${percent}% (${done}/${rebuild.total} rows)`);
    };
    let done = 0;
    progress(done);
    for (let afterId = 0; afterId < rebuild.lastId; ) {
      const slice = await store.usageRollups.rebuildSlice(afterId, rebuild.lastId, SLICE_ROWS);
      afterId = slice.lastId;
      done += slice.rows;
      progress(done);
    }
    process.stderr.write("\n");
    say(`usage rollups rebuilt from ${done} raw rows`);
    return 0;
  } finally {
    store.close();
  }
}
