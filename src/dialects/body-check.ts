// Checks a parsed request body against a TypeBox schema, with an invalid_request error naming the first offending
// field; used by the dialects' decoders and the management routes.
import type { Static, TSchema } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { dottedPath } from "../config/errors.ts";
import { invalidRequest } from "../core/errors.ts";
import { describeValueError } from "../schema-errors.ts";

export interface BodyValidator<T> {
  (value: unknown): T;
}

/**
 * Schema option of OpenAI request bodies: a top-level `null` for a field the schema does not require is taken
 * as the field left out, as OpenAI takes it. The key is removed before the check, so nothing after sees it.
 */
export const NULL_MEANS_ABSENT = "nullMeansAbsent";

/** The fields whose null must stay (and fail the check), or undefined when the schema keeps every null. */
function nullsKeptFor(schema: TSchema): ReadonlySet<string> | undefined {
  return schema[NULL_MEANS_ABSENT] === true ? new Set<string>(schema.required ?? []) : undefined;
}

function dropNullFields(body: Record<string, unknown>, kept: ReadonlySet<string>): void {
  for (const key in body) {
    if (body[key] === null && !kept.has(key)) delete body[key];
  }
}

/** A compiled check that throws `invalid_request` naming the first offending field. */
export function bodyValidator<S extends TSchema>(schema: S): BodyValidator<Static<S>> {
  // Compiled on first use, so start-up does not pay for every schema.
  let compiled: ReturnType<typeof TypeCompiler.Compile<S>> | undefined;
  const keptNulls = nullsKeptFor(schema);
  return (value) => {
    compiled ??= TypeCompiler.Compile(schema);
    const check = compiled;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw invalidRequest("The request body must be a JSON object.");
    }
    if (keptNulls) dropNullFields(value as Record<string, unknown>, keptNulls);
    if (check.Check(value)) return value;
    const first = check.Errors(value).First();
    const param = first ? dottedPath(first.path) : null;
    const where = param ? `'${param}'` : "The body";
    throw invalidRequest(`${where} ${first ? describeValueError(first) : "is not valid"}.`, param);
  };
}
