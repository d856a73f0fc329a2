// Builds the multipart form of an upload request (OpenAI's /audio/transcriptions) from a keyway body: files as file
// parts with their names, arrays as repeated `name[]` fields (as OpenAI's clients send them), other values as text.

export function multipartForm(body: Record<string, unknown>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(body)) {
    if (Array.isArray(value)) {
      const field = name.endsWith("[]") ? name : `${name}[]`;
      for (const item of value) appendValue(form, field, item);
    } else {
      appendValue(form, name, value);
    }
  }
  return form;
}

function appendValue(form: FormData, name: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (value instanceof Blob) form.append(name, value, value instanceof File ? value.name : "file");
  else if (typeof value === "object") form.append(name, JSON.stringify(value));
  else form.append(name, String(value));
}
