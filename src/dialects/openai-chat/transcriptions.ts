// The OpenAI dialect of POST /v1/audio/transcriptions: the multipart form's fields become the internal body (the
// upload stays a File; numbers, flags, `name[]` lists and keyway's `routing` JSON are read from their text) and are
// checked like a JSON body; answers and errors are encoded as for every OpenAI endpoint.
import { Type as T } from "@sinclair/typebox";
import type { ClientDialect } from "../../core/dialect.ts";
import { invalidRequest } from "../../core/errors.ts";
import { bodyValidator } from "../body-check.ts";
import { openAISpeech } from "./dialect.ts";

const open = { additionalProperties: true } as const;

/** The form's fields once read from text (the file apart); unknown fields pass through as they came. */
const TranscriptionFields = T.Object(
  {
    model: T.String({ minLength: 1 }),
    language: T.Optional(T.String()),
    prompt: T.Optional(T.String()),
    response_format: T.Optional(T.Union(["json", "text", "srt", "verbose_json", "vtt", "diarized_json"].map((f) => T.Literal(f)))),
    temperature: T.Optional(T.Number({ minimum: 0, maximum: 1 })),
    timestamp_granularities: T.Optional(T.Array(T.Union([T.Literal("word"), T.Literal("segment")]))),
    include: T.Optional(T.Array(T.String())),
    stream: T.Optional(T.Boolean()),
    byok_api_key: T.Optional(T.String()),
    provider: T.Optional(T.String({ minLength: 1 })),
    routing: T.Optional(T.Object({}, open)),
  },
  open,
);

const validate = bodyValidator(TranscriptionFields);

/** Fields OpenAI takes as lists (`name[]`); one sent without the brackets is a list of one. */
const LISTS = new Set(["timestamp_granularities", "include", "known_speaker_names", "known_speaker_references"]);

type FormValue = string | File;

function theFile(value: unknown): File {
  if (value === undefined) throw invalidRequest("'file' is required: the audio to transcribe, as a file part of the multipart form.", "file");
  if (Array.isArray(value)) throw invalidRequest("'file' must be sent once: one audio file per request.", "file");
  if (!(value instanceof Blob)) throw invalidRequest("'file' must be a file part of the form (with a filename), not a text field.", "file");
  if (value.size === 0) throw invalidRequest("'file' is empty: send the audio to transcribe.", "file");
  return value as File;
}

function text(name: string, value: FormValue): string {
  if (typeof value !== "string") throw invalidRequest(`'${name}' must be a text field, not a file.`, name);
  return value;
}

/** A field's text as the type the check expects: numbers, flags and keyway's routing object. */
function typed(name: string, value: string): unknown {
  if (name === "temperature") {
    const number = value.trim() === "" ? Number.NaN : Number(value);
    if (!Number.isFinite(number)) throw invalidRequest(`'temperature' must be a number, not '${value}'.`, "temperature");
    return number;
  }
  if (name === "stream") {
    if (value !== "true" && value !== "false") throw invalidRequest(`'stream' must be true or false, not '${value}'.`, "stream");
    return value === "true";
  }
  if (name === "routing") {
    try {
      return JSON.parse(value);
    } catch {
      throw invalidRequest("'routing' must be a JSON object.", "routing");
    }
  }
  return value;
}

/** The internal body of a transcription: the form's fields read and checked, the file kept as the upload. */
export function decodeTranscriptionForm(form: unknown): Record<string, unknown> {
  if (typeof form !== "object" || form === null || Array.isArray(form)) throw invalidRequest("The request body must be a multipart form.");
  const { file, ...fields } = form as Record<string, FormValue | FormValue[]>;
  const upload = theFile(file);
  const body: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) {
    const name = field.endsWith("[]") ? field.slice(0, -2) : field;
    const values = (Array.isArray(value) ? value : [value]).map((v) => text(name, v));
    if (field !== name || LISTS.has(name)) body[name] = [...((body[name] as string[] | undefined) ?? []), ...values];
    else body[name] = typed(name, values.at(-1) as string);
  }
  return { ...(validate(body) as Record<string, unknown>), file: upload };
}

export const openAITranscriptions: ClientDialect = {
  ...openAISpeech,
  name: "openai-transcriptions",
  endpoint: "transcriptions",
  bodyFormat: "multipart",
  decode: (form) => ({ endpoint: "transcriptions", body: decodeTranscriptionForm(form) }),
};
