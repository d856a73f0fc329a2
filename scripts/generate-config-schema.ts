// Writes config/keyway.schema.json (for editors) from the TypeBox config schema; a test fails when it is stale.
import { writeFileSync } from "node:fs";
import { ConfigSchema } from "../src/config/schema.ts";

/** A property with a default may be left out of a file: it is not `required` for editors. */
function relaxDefaults(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(relaxDefaults);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = relaxDefaults(value);
  const properties = out.properties as Record<string, { default?: unknown }> | undefined;
  if (properties && Array.isArray(out.required)) {
    const required = (out.required as string[]).filter((name) => properties[name]?.default === undefined);
    if (required.length > 0) out.required = required;
    else delete out.required;
  }
  return out;
}

export function renderConfigSchema(): string {
  const schema = { $schema: "http://json-schema.org/draft-07/schema#", ...(relaxDefaults(JSON.parse(JSON.stringify(ConfigSchema))) as object) };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (import.meta.main) {
  writeFileSync(new URL("../config/keyway.schema.json", import.meta.url), renderConfigSchema());
  console.log("wrote config/keyway.schema.json");
}
