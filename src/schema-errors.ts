// Human wording for TypeBox validation errors, shared by config validation and request bodies.
import type { ValueError } from "@sinclair/typebox/value";

/** What a schema expected, in words: `one of "a", "b"`, `integer >= 1`, ... */
export function describeExpected(schema: Record<string, unknown>): string {
  if (Array.isArray(schema.anyOf)) {
    const options = (schema.anyOf as Record<string, unknown>[]).map((option) =>
      "const" in option ? JSON.stringify(option.const) : describeExpected(option),
    );
    return `one of ${options.join(", ")}`;
  }
  const bounds: string[] = [];
  if (typeof schema.minimum === "number") bounds.push(`>= ${schema.minimum}`);
  if (typeof schema.maximum === "number") bounds.push(`<= ${schema.maximum}`);
  if (typeof schema.minLength === "number") bounds.push(`at least ${schema.minLength} character(s)`);
  if (typeof schema.minItems === "number") bounds.push(`at least ${schema.minItems} item(s)`);
  if (typeof schema.pattern === "string") bounds.push(`matching ${schema.pattern}`);
  const type = typeof schema.type === "string" ? schema.type : "a value";
  return bounds.length > 0 ? `${type} ${bounds.join(", ")}` : type;
}

/** One sentence for one error: what was expected and what was given. */
export function describeValueError(error: ValueError): string {
  if (error.message.includes("required property")) return "is required";
  if (error.message.includes("Unexpected property")) return "is not a known field";
  const given = JSON.stringify(error.value);
  return `expected ${describeExpected(error.schema as Record<string, unknown>)}, got ${given === undefined ? "nothing" : given.length > 60 ? `${given.slice(0, 57)}...` : given}`;
}
