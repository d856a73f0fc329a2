// Turns the measured sections into bench/RESULTS.md: machine facts, one table per scenario with ratios, the targets.
import { formatNumber } from "./stats.ts";
import { TARGET_LABEL, TARGETS, type TargetName } from "./targets.ts";

/** A figure, or the reason there is none. */
export type Cell = number | { missing: string };

export interface Row {
  label: string;
  values: Partial<Record<TargetName, Cell>>;
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
}

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
  const lines = [`## ${section.id}. ${section.title}`, "", section.method, ""];
  lines.push(`| | ${TARGETS.map((t) => TARGET_LABEL[t]).join(" | ")} | keyway / bare | keyway / peer |`);
  lines.push(`|---|${TARGETS.map(() => "---:").join("|")}|---:|---:|`);
  const reasons = new Map<string, string[]>();
  for (const row of section.rows) {
    const cells = TARGETS.map((target) => {
      const cell = row.values[target];
      if (cell === undefined) return "";
      if (isNumber(cell)) return formatNumber(cell);
      if (typeof cell === "number") return "—";
      const reason = `${TARGET_LABEL[target]}: ${cell.missing}`;
      reasons.set(reason, [...(reasons.get(reason) ?? []), row.label]);
      return "n/a";
    });
    const showRatios = row.ratios !== false;
    const vsBare = showRatios ? ratio(row.values.keyway, row.values.bare) : "";
    const vsPeer = showRatios ? ratio(row.values.keyway, row.values.peer) : "";
    lines.push(`| ${row.label} | ${cells.join(" | ")} | ${vsBare} | ${vsPeer} |`);
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
    "## Targets (issue 7)",
    "",
    ...report.goals.map((g) => `- ${g.met === undefined ? "not measured" : g.met ? "**met**" : "**missed**"}: ${g.text} (measured: ${g.measured})`),
    "",
  ];
  if (report.notes.length > 0) out.push("## Notes on this run", "", ...report.notes.map((n) => `- ${n}`), "");
  for (const section of report.sections) out.push(renderSection(section), "");
  return `${out.join("\n").trimEnd()}\n`;
}
