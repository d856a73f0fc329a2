// Reads a JSON request body with a size limit; the schema check (body-check.ts of src/dialects/) is re-exported for
// the management routes.
import { GatewayError, invalidRequest } from "../core/errors.ts";

export { type BodyValidator, bodyValidator, NULL_MEANS_ABSENT } from "../dialects/body-check.ts";

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
