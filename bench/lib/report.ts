// Turns the measured sections into bench/RESULTS.md: machine facts, one table per scenario with ratios, the targets.
import { formatNumber } from "./stats.ts";
import { TARGET_LABEL, TARGETS, type TargetName } from "./targets.ts";

/** A figure, or the reason there is none. */
export type Cell = number | { missing: string };

export interface Row {
  label: string;
  /** By target, or by the section's own column keys when it has `columns`. */
  values: Partial<Record<TargetName | string, Cell>>;
  /** Show keyway/bare and keyway/peer for this row (default true). */
  ratios?: boolean;
}

export interface Section {
  id: string;
  title: string;
  /** How it was measured, one paragraph. */
  method: string;
  rows: Row[];
  notes: string[];
  /** Columns other than the four targets (default: direct, bare proxy, keyway, peer). */
  columns?: Column[];
  /** Ratio columns (default: keyway / bare and keyway / peer). */
  ratioColumns?: RatioColumn[];
}

export interface Column {
  key: string;
  label: string;
}

/** A column giving the row's `of` figure divided by its `over` figure. */
export interface RatioColumn {
  label: string;
  of: string;
  over: string;
}

const TARGET_COLUMNS: Column[] = TARGETS.map((target) => ({ key: target, label: TARGET_LABEL[target] }));
const TARGET_RATIOS: RatioColumn[] = [
  { label: "keyway / bare", of: "keyway", over: "bare" },
  { label: "keyway / peer", of: "keyway", over: "peer" },
];

export interface Goal {
  text: string;
  /** undefined: could not be judged (not measured). */
  met: boolean | undefined;
  measured: string;
}

export interface Report {
  facts: [string, string][];
  sections: Section[];
  goals: Goal[];
  notes: string[];
}

export const missing = (reason: string): Cell => ({ missing: reason });
export const isNumber = (cell: Cell | undefined): cell is number => typeof cell === "number" && Number.isFinite(cell);

function ratio(a: Cell | undefined, b: Cell | undefined): string {
  if (!isNumber(a) || !isNumber(b) || a <= 0 || b <= 0) return "—";
  return `${(a / b).toFixed(2)}×`;
}

function renderSection(section: Section): string {
  const columns = section.columns ?? TARGET_COLUMNS;
  const ratios = section.ratioColumns ?? TARGET_RATIOS;
  const lines = [`## ${section.id}. ${section.title}`, "", section.method, ""];
  lines.push(`| | ${[...columns, ...ratios].map((c) => c.label).join(" | ")} |`);
  lines.push(`|---|${[...columns, ...ratios].map(() => "---:").join("|")}|`);
  const reasons = new Map<string, string[]>();
  for (const row of section.rows) {
    const cells = columns.map((column) => {
      const cell = row.values[column.key];
      if (cell === undefined) return "";
      if (isNumber(cell)) return formatNumber(cell);
      if (typeof cell === "number") return "—";
      const reason = `${column.label}: ${cell.missing}`;
      reasons.set(reason, [...(reasons.get(reason) ?? []), row.label]);
      return "n/a";
    });
    const showRatios = row.ratios !== false;
    const ratioCells = ratios.map((r) => (showRatios ? ratio(row.values[r.of], row.values[r.over]) : ""));
    lines.push(`| ${row.label} | ${[...cells, ...ratioCells].join(" | ")} |`);
  }
  const notes = [...section.notes, ...[...reasons.keys()].map((reason) => `n/a, ${reason}`)];
  if (notes.length > 0) lines.push("", ...notes.map((note) => `- ${note}`));
  return lines.join("\n");
}

export function renderReport(report: Report): string {
  const out = [
    "# keyway benchmark results",
    "",
    "Written by `npm run bench` (bench/run.ts); every figure below comes from one run on the machine described here.",
    "Each scenario measures the direct call to the mock upstream, a ~20-line pass-through proxy on Bun.serve + fetch",
    "(the floor for any gateway on this runtime), keyway, and the peer (Portkey's open-source gateway), in the same run.",
    "Latencies are in milliseconds, rates in requests per second, memory in MB; \"added\" means minus the direct call.",
    "",
    "## Machine",
    "",
    "| | |",
    "|---|---|",
    ...report.facts.map(([k, v]) => `| ${k} | ${v} |`),
    "",
    "## Targets (issues 7 and 17)",
    "",
    ...report.goals.map((g) => `- ${g.met === undefined ? "not measured" : g.met ? "**met**" : "**missed**"}: ${g.text} (measured: ${g.measured})`),
    "",
  ];
  if (report.notes.length > 0) out.push("## Notes on this run", "", ...report.notes.map((n) => `- ${n}`), "");
  for (const section of report.sections) out.push(renderSection(section), "");
  return `${out.join("\n").trimEnd()}\n`;
}
