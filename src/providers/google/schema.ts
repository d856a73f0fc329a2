// Turns a client's JSON Schema (tool parameters, json_schema response formats) into the OpenAPI 3.0 subset
// Gemini's `Schema` accepts: only its documented fields, upper-case types, `nullable` instead of null types.
import { isRecord } from "./wire.ts";

/** The fields of Gemini's Schema object (ai.google.dev/api/caching#Schema); anything else is refused upstream. */
const SCHEMA_FIELDS = new Set([
  "anyOf",
  "default",
  "description",
  "enum",
  "example",
  "format",
  "items",
  "maxItems",
  "maxLength",
  "maxProperties",
  "maximum",
  "minItems",
  "minLength",
  "minProperties",
  "minimum",
  "nullable",
  "pattern",
  "properties",
  "propertyOrdering",
  "required",
  "title",
  "type",
]);

const GEMINI_TYPES = new Set(["STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT"]);

function geminiType(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const upper = value.toUpperCase();
  return GEMINI_TYPES.has(upper) ? upper : undefined;
}

const isNullSchema = (value: unknown) => isRecord(value) && value.type === "null";

/** `type: ["string", "null"]` becomes `type: STRING, nullable: true`; several real types become `anyOf`. */
function applyType(type: unknown, out: Record<string, unknown>): void {
  const types = Array.isArray(type) ? type : [type];
  if (types.includes("null")) out.nullable = true;
  const real = types.map(geminiType).filter((t): t is string => t !== undefined);
  if (real.length === 1) out.type = real[0];
  else if (real.length > 1) out.anyOf = real.map((t) => ({ type: t }));
}

/** A converted schema; unknown keywords (`additionalProperties`, `$schema`, `$ref`, `strict`, ...) are left out. */
export function toGeminiSchema(input: unknown): Record<string, unknown> {
  if (!isRecord(input)) return {};
  let source = input;
  const out: Record<string, unknown> = {};
  // `anyOf: [X, {type: null}]` is how JSON Schema writes "nullable X".
  const union = Array.isArray(source.anyOf) ? source.anyOf : Array.isArray(source.oneOf) ? source.oneOf : undefined;
  if (union && union.length === 2 && union.some(isNullSchema)) {
    const other = union.find((s) => !isNullSchema(s));
    if (isRecord(other)) {
      out.nullable = true;
      source = { ...other, description: other.description ?? source.description };
    }
  }
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined || value === null) continue;
    if (key === "type") applyType(value, out);
    else if (key === "items") out.items = toGeminiSchema(Array.isArray(value) ? value[0] : value);
    else if (key === "anyOf" || key === "oneOf") {
      if (!Array.isArray(value)) continue;
      if (value.some(isNullSchema)) out.nullable = true;
      out.anyOf = value.filter((s) => !isNullSchema(s)).map(toGeminiSchema);
    } else if (key === "properties" && isRecord(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, toGeminiSchema(schema)]));
    } else if (key === "enum" && Array.isArray(value)) {
      // Gemini's enum is a list of strings.
      out.enum = value.filter((v) => v !== null).map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
    } else if (key === "const") {
      out.enum = [typeof value === "string" ? value : JSON.stringify(value)];
    } else if (SCHEMA_FIELDS.has(key)) {
      out[key] = value;
    }
  }
  if (out.anyOf !== undefined && out.type !== undefined) delete out.type;
  if (Array.isArray(out.enum) && out.type === undefined) out.type = "STRING";
  return out;
}
