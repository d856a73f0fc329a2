// Reads a multipart/form-data request body (a file upload) with a size limit, as an object of its fields: a file
// part as a File, a text part as a string, a field sent more than once as an array of its values.
import { GatewayError, invalidRequest } from "../core/errors.ts";

export type FormFields = Record<string, FormDataEntryValue | FormDataEntryValue[]>;

export async function readMultipartBody(request: Request, maxBytes: number): Promise<FormFields> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(type) || !/boundary=/i.test(type)) {
    const sent = type === "" ? "no content type" : `'${type.split(";")[0]}'`;
    throw invalidRequest(`The request body must be multipart/form-data with the audio in the 'file' part (the request sent ${sent}).`);
  }
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const bytes = await readLimited(request, maxBytes);
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { "content-type": type } }).formData();
  } catch (error) {
    const reason = error instanceof Error ? error.message : "parse error";
    throw invalidRequest(`The multipart/form-data body could not be read (${reason}).`);
  }
  const fields: FormFields = {};
  for (const [name, value] of form) {
    const seen = fields[name];
    if (seen === undefined) fields[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else fields[name] = [seen, value];
  }
  return fields;
}

async function readLimited(request: Request, maxBytes: number): Promise<Blob> {
  if (!request.body) return new Blob([]);
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array<ArrayBuffer>>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return new Blob(chunks);
}

function tooLarge(maxBytes: number): GatewayError {
  return new GatewayError("request_too_large", `The upload is larger than this gateway accepts (${maxBytes} bytes).`);
}
