// A throw-away copy of src/ (in bench/.work, never the tree itself) with code inserted at exact lines: how the bench
// tools stop keyway at a point of a request (stages.ts) or time the stages of one (cold.ts). A line that is gone from
// src/ stops the tool with the insertion's name, so the tools say when they need updating.
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { WORK_DIR } from "./processes.ts";
import { REPO_DIR } from "./setup.ts";

export interface Insertion {
  /** Named in the error when its line is gone. */
  name: string;
  /** Relative to the repository, e.g. src/gateway/pipeline.ts. */
  file: string;
  /** The whole line (without its newline) the code goes before or after; its first occurrence. */
  anchor: string;
  before: boolean;
  code: string;
}

/**
 * The copy's directory (bench/.work/`name`, made afresh) of `source`'s src/ (this repository's by default); `helper` is
 * put at the top of every file that gets code.
 */
export function patchedTree(name: string, insertions: readonly Insertion[], helper: string, source = REPO_DIR): string {
  const tree = join(WORK_DIR, name);
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(tree, { recursive: true });
  cpSync(join(source, "src"), join(tree, "src"), { recursive: true });
  for (const file of ["package.json", "tsconfig.json"]) cpSync(join(source, file), join(tree, file));
  symlinkSync(join(REPO_DIR, "node_modules"), join(tree, "node_modules"));
  for (const file of new Set(insertions.map((i) => i.file))) {
    const path = join(tree, file);
    let text = readFileSync(path, "utf8");
    for (const insertion of insertions.filter((i) => i.file === file)) {
      const line = `${insertion.anchor}\n`;
      if (!text.includes(line)) throw new Error(`'${insertion.name}': the line it goes at is gone from ${file}; update the bench tool that names it`);
      const code = `${insertion.code}\n`;
      text = text.replace(line, insertion.before ? `${code}${line}` : `${line}${code}`);
    }
    writeFileSync(path, helper + text);
  }
  return tree;
}
