// The layering of src/: no import cycle between folders, and no arrow the table in docs/ARCHITECTURE.md forbids.
import { describe, expect, test } from "bun:test";
import { Glob } from "bun";
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");
const SRC = join(ROOT, "src");
const TABLE_HEADING = "## Layering";

interface Arrow {
  from: string;
  to: string;
  /** The file and specifier that make the arrow, to show in failures. */
  where: string;
}

interface ImportSite {
  specifier: string;
  typeOnly: boolean;
}

/** A folder of src/ is one unit; a file at the root of src/ is a unit of its own, named with its extension. */
function unitOf(pathInSrc: string): string {
  return pathInSrc.split(sep)[0] ?? pathInSrc;
}

/** Every import, `export ... from`, side-effect import and dynamic import() of a file, type-only ones included. */
function importsOf(text: string): ImportSite[] {
  const statements = /(?:^|[;\n])\s*((?:import|export)\b[^'";]*?\bfrom\s*|import\s*)(["'])([^"']+)\2/g;
  const dynamic = /\bimport\s*\(\s*(["'])([^"']+)\1/g;
  return [
    ...[...text.matchAll(statements)].map((m) => ({ specifier: m[3] ?? "", typeOnly: /^(import|export)\s+type\b/.test(m[1] ?? "") })),
    ...[...text.matchAll(dynamic)].map((m) => ({ specifier: m[2] ?? "", typeOnly: false })),
  ];
}

function scanSources(): { arrows: Arrow[]; units: Set<string>; valueImportsInCore: string[] } {
  const arrows: Arrow[] = [];
  const units = new Set<string>();
  const valueImportsInCore: string[] = [];
  for (const file of new Glob("**/*.ts").scanSync(SRC)) {
    const from = unitOf(file);
    units.add(from);
    const absolute = join(SRC, file);
    for (const site of importsOf(readFileSync(absolute, "utf8"))) {
      if (!site.specifier.startsWith(".")) continue;
      const target = relative(SRC, resolve(dirname(absolute), site.specifier));
      if (target.startsWith("..")) continue;
      const to = unitOf(target);
      if (from === "core" && !site.typeOnly && to !== "core") valueImportsInCore.push(`${file} -> ${site.specifier}`);
      if (to !== from) arrows.push({ from, to, where: `src/${file} -> ${site.specifier}` });
    }
  }
  return { arrows, units, valueImportsInCore };
}

/** The table under "## Layering": `unit` | the units it may import (backticked), or "nothing". */
function readLayering(markdown: string): Map<string, Set<string>> {
  const start = markdown.indexOf(`\n${TABLE_HEADING}\n`);
  if (start < 0) throw new Error(`docs/ARCHITECTURE.md has no '${TABLE_HEADING}' section`);
  const section = markdown.slice(start + TABLE_HEADING.length + 2).split(/\n## /)[0] ?? "";
  const rows = section.split("\n").filter((line) => line.startsWith("|")).slice(2);
  const allowed = new Map<string, Set<string>>();
  for (const row of rows) {
    const [unitCell = "", mayCell = ""] = row.split("|").slice(1, 3).map((cell) => cell.trim());
    const unit = unitCell.replaceAll("`", "");
    const names = [...mayCell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? "");
    allowed.set(unit, new Set(names));
  }
  return allowed;
}

function edgesOf(arrows: readonly { from: string; to: string }[]): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const { from, to } of arrows) {
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from)?.add(to);
  }
  return edges;
}

/** Each group of units that reach one another (Tarjan), with one cycle through its first unit. */
function cyclesOf(edges: Map<string, Set<string>>): { group: string[]; cycle: string[] }[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  let next = 0;
  const visit = (unit: string): void => {
    index.set(unit, next);
    low.set(unit, next);
    next++;
    stack.push(unit);
    onStack.add(unit);
    for (const to of edges.get(unit) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(unit, Math.min(low.get(unit) as number, low.get(to) as number));
      } else if (onStack.has(to)) {
        low.set(unit, Math.min(low.get(unit) as number, index.get(to) as number));
      }
    }
    if (low.get(unit) === index.get(unit)) {
      const group: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        group.push(member);
      } while (member !== unit);
      if (group.length > 1) groups.push(group);
    }
  };
  for (const unit of [...edges.keys()].sort()) if (!index.has(unit)) visit(unit);
  return groups.map((group) => ({ group: group.sort(), cycle: cycleWithin(group, edges) }));
}

/** A shortest path from the group's first unit back to itself, staying inside the group. */
function cycleWithin(group: string[], edges: Map<string, Set<string>>): string[] {
  const members = new Set(group);
  const start = group[0] ?? "";
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const unit = queue.shift() as string;
    for (const to of [...(edges.get(unit) ?? [])].sort()) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path = [unit];
        for (let back = unit; back !== start; ) {
          back = previous.get(back) ?? start;
          path.unshift(back);
        }
        return [...path, start];
      }
      if (!previous.has(to)) {
        previous.set(to, unit);
        queue.push(to);
      }
    }
  }
  return group;
}

describe("the layering of src/", async () => {
  const { arrows, units, valueImportsInCore } = scanSources();
  const allowed = readLayering(await Bun.file(join(ROOT, "docs/ARCHITECTURE.md")).text());

  test("the scan sees the imports it should (a known type-only arrow and a known value arrow)", () => {
    const seen = new Set(arrows.map((a) => `${a.from}->${a.to}`));
    expect(seen.has("gateway->core")).toBe(true);
    expect(seen.has("runtime.ts->server")).toBe(true);
    expect(importsOf('import type {\n  A,\n  B,\n} from "../x/y.ts";\nexport * from "./z.ts";\nawait import("../w.ts");')).toEqual([
      { specifier: "../x/y.ts", typeOnly: true },
      { specifier: "./z.ts", typeOnly: false },
      { specifier: "../w.ts", typeOnly: false },
    ]);
  });

  test("every unit of src/ has a row in the table, and every row is a unit of src/", () => {
    expect([...units].filter((unit) => !allowed.has(unit)).sort()).toEqual([]);
    expect([...allowed.keys()].filter((unit) => !units.has(unit)).sort()).toEqual([]);
  });

  test("the table itself allows no cycle", () => {
    const tableArrows = [...allowed].flatMap(([from, tos]) => [...tos].map((to) => ({ from, to })));
    expect(cyclesOf(edgesOf(tableArrows)).map(({ cycle }) => cycle.join(" -> "))).toEqual([]);
  });

  test("no import cycle between folders", () => {
    const evidence = cyclesOf(edgesOf(arrows)).map(({ group, cycle }) => {
      const hops = cycle.slice(1).map((to, i) => arrows.find((a) => a.from === cycle[i] && a.to === to)?.where);
      return `${group.join(", ")} import one another; one cycle: ${cycle.join(" -> ")} (${hops.join("; ")})`;
    });
    expect(evidence).toEqual([]);
  });

  test("no arrow the table forbids", () => {
    const forbidden = arrows.filter((a) => !allowed.get(a.from)?.has(a.to)).map((a) => `${a.from} -> ${a.to}: ${a.where}`);
    expect([...new Set(forbidden)].sort()).toEqual([]);
  });

  test("src/core imports only types from outside itself", () => {
    expect(valueImportsInCore).toEqual([]);
  });
});
