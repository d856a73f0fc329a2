// Writes config/keyway.schema.json (for editors) from the TypeBox config schema; a test fails when it is stale.
// The file describes the config as written, before interpolation: wherever a value is more than a free string
// (numbers, booleans, choices, patterns), a string holding a ${NAME} placeholder is accepted too, as the loader does.
import { writeFileSync } from "node:fs";
import { PLACEHOLDER_SOURCE } from "../src/config/interpolate.ts";
import { ConfigSchema } from "../src/config/schema.ts";

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node => typeof value === "object" && value !== null && !Array.isArray(value);

const INTERPOLATED = { type: "string", pattern: PLACEHOLDER_SOURCE, description: "Read from the environment: ${NAME} or ${NAME:-default}" };

/** A property with a default may be left out of a file: it is not `required` for editors. */
function relaxDefaults(node: Node): Node {
  const properties = node.properties as Record<string, { default?: unknown }> | undefined;
  if (!properties || !Array.isArray(node.required)) return node;
  const { required: _all, ...rest } = node;
  const required = (node.required as string[]).filter((name) => properties[name]?.default === undefined);
  return required.length > 0 ? { ...rest, required } : rest;
}

/** A value a bare string with ${NAME} would fail: typed, constrained, or a choice of constants. */
function refusesPlaceholders(node: Node): boolean {
  if (Array.isArray(node.anyOf)) return true;
  if (node.type === "integer" || node.type === "number" || node.type === "boolean") return true;
  return node.type === "string" && ["pattern", "minLength", "maxLength", "const", "enum", "format"].some((k) => k in node);
}

/** `anyOf: [value, ${NAME} string]`, with the description and default kept where editors show them. */
function acceptPlaceholder(node: Node): Node {
  const { description, default: fallback, ...value } = node;
  const annotations = { ...(description !== undefined ? { description } : {}), ...(fallback !== undefined ? { default: fallback } : {}) };
  if (Array.isArray(value.anyOf) && Object.keys(value).length === 1) return { ...annotations, anyOf: [...value.anyOf, INTERPOLATED] };
  return { ...annotations, anyOf: [value, INTERPOLATED] };
}

function transform(node: Node): Node {
  const out: Node = { ...node };
  for (const key of ["properties", "patternProperties"] as const) {
    if (isNode(node[key])) out[key] = Object.fromEntries(Object.entries(node[key]).map(([name, child]) => [name, isNode(child) ? transform(child) : child]));
  }
  if (isNode(node.items)) out.items = transform(node.items);
  if (isNode(node.additionalProperties)) out.additionalProperties = transform(node.additionalProperties);
  const relaxed = relaxDefaults(out);
  return refusesPlaceholders(relaxed) ? acceptPlaceholder(relaxed) : relaxed;
}

export function renderConfigSchema(): string {
  const schema = { $schema: "http://json-schema.org/draft-07/schema#", ...transform(JSON.parse(JSON.stringify(ConfigSchema)) as Node) };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (import.meta.main) {
  writeFileSync(new URL("../config/keyway.schema.json", import.meta.url), renderConfigSchema());
  console.log("wrote config/keyway.schema.json");
}
