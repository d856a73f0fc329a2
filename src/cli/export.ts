// `keyway export`: a billing export written to stdout (CSV or JSON), through the same code as POST
// /v1/billing/export, reading the configured store directly with the operator's reach; progress on stderr.
import { loadConfig } from "../config/load.ts";
import { GatewayError } from "../core/errors.ts";
import { exportFile, rawRowsSince } from "../analytics/export-stream.ts";
import { EXPORT_FORMATS, EXPORT_SECTIONS, EXPORT_TYPES, parseExportRequest } from "../analytics/export-request.ts";
import { describePeriod, PERIOD_NAMES } from "../analytics/periods.ts";
import { openConfiguredStore } from "../store/open-configured.ts";
import { parseFlags, UsageError } from "./args.ts";
import { knownNames } from "./known-names.ts";
import { say } from "./output.ts";

export const exportHelp = `keyway export --type TYPE [--period NAME | --from DATE --to DATE] [--format csv|json] [--include A,B]
              [--account ID] [--config FILE] > FILE

Writes a billing export to stdout, the same file as POST /v1/billing/export: one line per call in the period,
then the totals asked with --include, then the grand total. Progress goes to stderr.
  --type      ${EXPORT_TYPES.join(" | ")}
  --period    ${PERIOD_NAMES.join(" | ")} (default current_month; in budgets.time_zone)
  --from/--to a custom range: YYYY-MM-DD (whole days) or ISO 8601 date-times with an offset
  --format    ${EXPORT_FORMATS.join(" | ")} (default csv)
  --include   comma list of ${EXPORT_SECTIONS.join(", ")}
  --account   only this account (default: every account)`;

/** Writes a chunk to stdout and waits until it is handed off, so a slow reader slows the export (backpressure). */
function writeOut(chunk: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(chunk, (error) => (error ? reject(error) : resolve())));
}

/** Progress on stderr: a live counter on a terminal, otherwise a plain line now and then (stdout is never touched). */
function progressReporter(): { page(calls: number): void; done(calls: number, note: string): void } {
  const live = process.stderr.isTTY === true;
  let lastLine = 0;
  return {
    page(calls) {
      if (live) process.stderr.write(`\rexporting: ${calls} calls`);
      else if (calls - lastLine >= 100_000) (lastLine = calls), process.stderr.write(`exporting: ${calls} calls\n`);
    },
    done(calls, note) {
      process.stderr.write(`${live ? "\r" : ""}exported ${calls} calls ${note}\n`);
    },
  };
}

export async function exportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    config: { type: "string", short: "c" },
    type: { type: "string" },
    period: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    format: { type: "string" },
    include: { type: "string" },
    account: { type: "string" },
  });
  if (values.help) {
    say(exportHelp);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if (values.type === undefined) throw new UsageError(`--type is required (${EXPORT_TYPES.join(", ")})`);
  const { config } = loadConfig(values.config, process.env, knownNames);
  const body = {
    type: values.type,
    period: values.period,
    from: values.from,
    to: values.to,
    format: values.format,
    include: values.include?.split(",").map((item) => item.trim()).filter((item) => item !== ""),
    account_id: values.account,
  };
  const request = parseExportRequest(body, config.budgets.time_zone);
  const store = await openConfiguredStore(config.storage);
  try {
    if (request.accountId !== undefined && (await store.accounts.get(request.accountId)) === undefined) {
      throw new GatewayError("not_found", `no account '${request.accountId}'`);
    }
    const progress = progressReporter();
    let calls = 0;
    const file = exportFile(store, request, request.accountId === undefined ? {} : { accountId: request.accountId }, {
      onProgress: (written) => progress.page((calls = written)),
      rawRowsSince: rawRowsSince(config.usage.retention_days),
    });
    for await (const chunk of file.body) await writeOut(chunk);
    const period = describePeriod(request.period);
    progress.done(calls, `(${request.type}, ${period.from} to ${period.to}, ${period.time_zone}) as ${file.filename}`);
    return 0;
  } finally {
    store.close();
  }
}
