// Reads a JSON request body with a size limit, and checks it against a TypeBox schema with field-named errors.
import type { TSchema } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { dottedPath } from "../config/errors.ts";
import { GatewayError, invalidRequest } from "../core/errors.ts";
import { describeValueError } from "../schema-errors.ts";

export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  let text: string;
  if (Number.isFinite(declared)) {
    text = await request.text();
  } else {
    text = await readLimited(request, maxBytes);
  }
  if (text.length > maxBytes) throw tooLarge(maxBytes);
  if (text.trim() === "") throw invalidRequest("The request body is empty; send a JSON object.");
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : "parse error";
    throw invalidRequest(`The request body is not valid JSON (${reason}).`);
  }
}

async function readLimited(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function tooLarge(maxBytes: number): GatewayError {
  return new GatewayError("request_too_large", `The request body is larger than this gateway accepts (${maxBytes} bytes).`);
}

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
export function bodyValidator<S extends TSchema>(schema: S): BodyValidator<import("@sinclair/typebox").Static<S>> {
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
