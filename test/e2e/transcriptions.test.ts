// POST /v1/audio/transcriptions end to end through the official openai client: every response_format, OpenAI and an
// OpenAI-compatible host, a BYOK key (form field and header) and a stored key, the usage row (whisper by the second,
// gpt-4o-transcribe by tokens), keyway's fields never forwarded, a provider without transcriptions refused, and bad
// uploads (no file, not multipart, too large, bad fields) answered 400/413 naming the field, never sent upstream.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import OpenAI, { toFile } from "openai";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";

const KEY = "sk-proj-transcribe00000000000000001";
const STORED = "sk-proj-transcribeSTORED00000000002";
let mock: MockOpenAI;
let gw: TestGateway;
let client: OpenAI;

/** 2500 bytes of "audio": the mock hears 2.5 seconds (whisper reports 3) and 25 audio tokens. */
const audio = (name = "meeting.mp3", bytes = 2500) => toFile(new Uint8Array(bytes).fill(7), name, { type: "audio/mpeg" });
const withKey = (params: Record<string, unknown>) => ({ ...params, byok_api_key: KEY }) as unknown as OpenAI.Audio.TranscriptionCreateParamsNonStreaming;

interface UsageRow { endpoint: string; provider: string; model: string; key_source: string; byok: number; status: number; input_tokens: number; output_tokens: number; cost_micros: number; estimated_cost_micros: number }

function usageRow(requestId: string | null): UsageRow | undefined {
  const db = new Database(gw.dbPath);
  try {
    return db.query("SELECT * FROM usage_records WHERE request_id = ?").get(requestId ?? "") as UsageRow | undefined;
  } finally {
    db.close();
  }
}

/** A raw multipart request to keyway (for what the official client will not send). */
function upload(form: FormData, headers: Record<string, string> = {}, at = gw): Promise<Response> {
  return fetch(`${at.url}/v1/audio/transcriptions`, { method: "POST", headers: { authorization: `Bearer ${at.adminKey}`, ...headers }, body: form });
}

function formOf(fields: Record<string, string | Blob>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value instanceof Blob) form.append(name, value, "clip.wav");
    else form.append(name, value);
  }
  return form;
}

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [KEY, STORED] }).start();
  gw = await startGateway({
    providers: {
      openai: { adapter: "openai", base_url: mock.url, timeout_ms: 2000 },
      mistral: { adapter: "mistral", base_url: mock.url, timeout_ms: 2000 },
      local: { adapter: "openai-compatible", base_url: mock.url, timeout_ms: 2000 },
      paid: { adapter: "openai", base_url: mock.url, timeout_ms: 2000, platform_keys: [KEY] },
    },
  });
  client = new OpenAI({ apiKey: gw.adminKey, baseURL: `${gw.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

describe("POST /v1/audio/transcriptions", () => {
  test("whisper-1, json: the upload reaches OpenAI as a form with the key, never keyway's fields; priced by the second", async () => {
    const { data, response } = await client.audio.transcriptions
      .create(withKey({ file: await audio(), model: "openai/whisper-1", language: "en", prompt: "a meeting", temperature: 0.2, routing: JSON.stringify({ strategy: "direct" }) }))
      .withResponse();
    expect(data.text).toBe("transcript of meeting.mp3 in en after 'a meeting'");
    expect(data.usage).toEqual({ type: "duration", seconds: 3, cost: 0 } as never);
    expect(response.headers.get("x-provider-used")).toBe("openai");
    expect(response.headers.get("x-byok-used")).toBe("true");

    const sent = mock.last();
    expect(sent.path).toBe("/v1/audio/transcriptions");
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent.headers["content-type"]).toStartWith("multipart/form-data; boundary=");
    expect(sent.body).toEqual({
      model: "whisper-1",
      language: "en",
      prompt: "a meeting",
      temperature: "0.2",
      file: { file: "meeting.mp3", type: "audio/mpeg", size: 2500 },
    });
    const bytes = new Uint8Array(await (sent.form?.get("file") as Blob).arrayBuffer());
    expect(bytes.every((b) => b === 7)).toBe(true);

    // 3 seconds of whisper at $0.006 a minute: 300 micro-USD at list price; a BYOK call is charged nothing
    const row = usageRow(response.headers.get("x-request-id"));
    expect(row).toMatchObject({ endpoint: "transcriptions", provider: "openai", model: "whisper-1", key_source: "request", byok: 1, status: 200, input_tokens: 3, output_tokens: 0, cost_micros: 0, estimated_cost_micros: 300 });
  });

  test("gpt-4o-transcribe by its bare name, the key in X-BYOK-API-Key: token usage recorded and priced", async () => {
    const { data, response } = await client.audio.transcriptions
      .create({ file: await audio("call.m4a", 4000), model: "gpt-4o-transcribe" }, { headers: { "X-BYOK-API-Key": KEY } })
      .withResponse();
    expect(data.text).toBe("transcript of call.m4a");
    expect(data.usage).toMatchObject({ type: "tokens", input_tokens: 40, output_tokens: 3, total_tokens: 43 });
    expect(mock.last().headers.authorization).toBe(`Bearer ${KEY}`);
    expect(mock.last().headers["x-byok-api-key"]).toBeUndefined();
    const row = usageRow(response.headers.get("x-request-id"));
    // 40 input tokens at $6/M and 3 output tokens at $10/M
    expect(row).toMatchObject({ provider: "openai", model: "gpt-4o-transcribe", input_tokens: 40, output_tokens: 3, estimated_cost_micros: 270 });
  });

  test("text, srt and vtt come back as the upstream's text with its content type; recorded with no usage", async () => {
    const text = await client.audio.transcriptions.create(withKey({ file: await audio(), model: "whisper-1", response_format: "text" }));
    expect(text as unknown as string).toBe("transcript of meeting.mp3\n");
    const srt = await client.audio.transcriptions.create(withKey({ file: await audio(), model: "whisper-1", response_format: "srt" }));
    expect(srt as unknown as string).toBe("1\n00:00:00,000 --> 00:00:02,500\ntranscript of meeting.mp3\n\n");
    const { data: vtt, response } = await client.audio.transcriptions.create(withKey({ file: await audio(), model: "whisper-1", response_format: "vtt" })).withResponse();
    expect(vtt as unknown as string).toStartWith("WEBVTT\n\n00:00:00.000 --> 00:00:02.500\n");
    expect(response.headers.get("content-type")).toBe("text/vtt; charset=utf-8");
    expect(usageRow(response.headers.get("x-request-id"))).toMatchObject({ endpoint: "transcriptions", status: 200, input_tokens: 0, cost_micros: 0, estimated_cost_micros: 0 });
  });

  test("verbose_json with word and segment timestamps: the granularities go upstream as OpenAI's list fields", async () => {
    const result = (await client.audio.transcriptions.create(
      withKey({ file: await audio(), model: "whisper-1", response_format: "verbose_json", timestamp_granularities: ["word", "segment"] }),
    )) as unknown as OpenAI.Audio.TranscriptionVerbose;
    expect(result.duration).toBe(2.5);
    expect(result.words?.map((w) => w.word)).toEqual(["transcript", "of", "meeting.mp3"]);
    expect(result.segments?.[0]?.text).toBe("transcript of meeting.mp3");
    expect(mock.last().body?.["timestamp_granularities[]"]).toEqual(["word", "segment"]);
    expect(mock.last().body?.response_format).toBe("verbose_json");
  });

  test("an OpenAI-compatible host serves it under its provider name", async () => {
    const { data, response } = await client.audio.transcriptions.create(withKey({ file: await audio("local.wav"), model: "local/whisper-large-v3" })).withResponse();
    expect(data.text).toBe("transcript of local.wav");
    expect(response.headers.get("x-provider-used")).toBe("local");
    expect(mock.last().body?.model).toBe("whisper-large-v3");
    expect(usageRow(response.headers.get("x-request-id"))).toMatchObject({ provider: "local", model: "whisper-large-v3", input_tokens: 3 });
  });

  test("a stored key pays when no key comes with the request", async () => {
    const stored = await gw.post("/v1/providers/keys", { providers: [{ name: "openai", api_key: STORED, settings: { max_tokens_default: 50, temperature_default: 0.9 } }] });
    expect(stored.status).toBe(201);
    const { data, response } = await client.audio.transcriptions.create({ file: await audio(), model: "whisper-1" }).withResponse();
    expect(data.text).toBe("transcript of meeting.mp3");
    expect(mock.last().headers.authorization).toBe(`Bearer ${STORED}`);
    // a stored key's generation defaults are for chat and completions
    expect(Object.keys(mock.last().body ?? {}).sort()).toEqual(["file", "model"]);
    expect(usageRow(response.headers.get("x-request-id"))).toMatchObject({ key_source: "stored", byok: 1, input_tokens: 3 });
  });

  test("a platform key's transcription is charged to the account: whisper's seconds at its per-minute price", async () => {
    const created = await gw.post("/v1/accounts", { name: "listener", credits: 1 });
    expect(created.status).toBe(201);
    const account = (await created.json()) as { id: string; key: string };
    const paying = new OpenAI({ apiKey: account.key, baseURL: `${gw.url}/v1`, maxRetries: 0 });
    const { data, response } = await paying.audio.transcriptions.create({ file: await audio(), model: "paid/whisper-1" }).withResponse();
    expect(data.usage).toEqual({ type: "duration", seconds: 3, cost: 0.0003 } as never);
    expect(response.headers.get("x-byok-used")).toBe("false");
    expect(usageRow(response.headers.get("x-request-id"))).toMatchObject({ key_source: "platform", byok: 0, input_tokens: 3, cost_micros: 300 });
    const after = await fetch(`${gw.url}/v1/accounts/${account.id}`, { headers: { authorization: `Bearer ${gw.adminKey}` } });
    expect(((await after.json()) as { credits: number }).credits).toBe(0.9997);
  });

  test("a provider without transcriptions is refused with a clear invalid_request, and nothing goes upstream", async () => {
    const before = mock.requests.length;
    const error = await client.audio.transcriptions.create(withKey({ file: await audio(), model: "mistral/voxtral-mini" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const body = (error as InstanceType<typeof OpenAI.BadRequestError>).error as { code: string; param: string; message: string };
    expect(body).toMatchObject({ code: "invalid_request", param: "model" });
    expect(body.message).toContain("mistral");
    expect(body.message).toContain("transcriptions");
    expect(mock.requests.length).toBe(before);
  });

  test("bad uploads: 400 invalid_request naming the field, never sent upstream", async () => {
    const before = mock.requests.length;
    const clip = new Blob([new Uint8Array(100)], { type: "audio/wav" });
    const cases: [FormData, string][] = [
      [formOf({ model: "whisper-1", byok_api_key: KEY }), "file"],
      [formOf({ model: "whisper-1", file: "not a file", byok_api_key: KEY }), "file"],
      [formOf({ model: "whisper-1", file: new Blob([]), byok_api_key: KEY }), "file"],
      [formOf({ file: clip, byok_api_key: KEY }), "model"],
      [formOf({ file: clip, model: "whisper-1", temperature: "hot", byok_api_key: KEY }), "temperature"],
      [formOf({ file: clip, model: "whisper-1", temperature: "3", byok_api_key: KEY }), "temperature"],
      [formOf({ file: clip, model: "whisper-1", response_format: "mp3", byok_api_key: KEY }), "response_format"],
      [formOf({ file: clip, model: "whisper-1", "timestamp_granularities[]": "letter", byok_api_key: KEY }), "timestamp_granularities"],
      [formOf({ file: clip, model: "whisper-1", language: clip, byok_api_key: KEY }), "language"],
      [formOf({ file: clip, model: "whisper-1", routing: "{not json", byok_api_key: KEY }), "routing"],
      [formOf({ file: clip, model: "whisper-1", stream: "true", byok_api_key: KEY }), "stream"],
    ];
    for (const [form, param] of cases) {
      const res = await upload(form);
      expect(res.status).toBe(400);
      const { error } = await res.json();
      expect(error.code).toBe("invalid_request");
      expect(error.type).toBe("invalid_request_error");
      expect(error.param?.startsWith(param)).toBe(true);
    }
    const json = await gw.post("/v1/audio/transcriptions", { model: "whisper-1", file: "x" });
    expect(json.status).toBe(400);
    expect((await json.json()).error.message).toContain("multipart/form-data");
    const broken = await fetch(`${gw.url}/v1/audio/transcriptions`, {
      method: "POST",
      headers: { authorization: `Bearer ${gw.adminKey}`, "content-type": "multipart/form-data; boundary=xyz" },
      body: "--xyz\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1",
    });
    expect(broken.status).toBe(400);
    expect((await broken.json()).error.code).toBe("invalid_request");
    expect(mock.requests.length).toBe(before);
  });

  test("the upstream's refusal comes back as for other endpoints: a bad BYOK key is a 401 without the key", async () => {
    const wrong = "sk-proj-wrongtranscribe000000000009";
    const error = await client.audio.transcriptions
      .create({ file: await audio(), model: "whisper-1", byok_api_key: wrong } as unknown as OpenAI.Audio.TranscriptionCreateParamsNonStreaming)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(JSON.stringify((error as InstanceType<typeof OpenAI.AuthenticationError>).error)).not.toContain(wrong);
    expect(mock.last().body?.byok_api_key).toBeUndefined();
  });
});

describe("the upload limit (server.max_upload_bytes)", () => {
  let small: TestGateway;
  beforeAll(async () => {
    small = await startGateway({ server: { max_upload_bytes: 4096, max_body_bytes: 2048 }, routing: { retries: 1 }, providers: { openai: { adapter: "openai", base_url: mock.url, timeout_ms: 2000 } } });
  });
  afterAll(async () => {
    await small.stop();
  });

  test("an upload over the limit is 413 request_too_large, declared or chunked; one under it passes though JSON's limit is lower", async () => {
    const before = mock.requests.length;
    const smallClient = new OpenAI({ apiKey: small.adminKey, baseURL: `${small.url}/v1`, maxRetries: 0 });
    const error = await smallClient.audio.transcriptions.create(withKey({ file: await audio("long.mp3", 8000), model: "whisper-1" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(413);
    expect(((error as InstanceType<typeof OpenAI.APIError>).error as { code: string }).code).toBe("request_too_large");

    const form = formOf({ model: "whisper-1", byok_api_key: KEY, file: new Blob([new Uint8Array(8000)]) });
    const encoded = new Response(form);
    const chunked = await fetch(`${small.url}/v1/audio/transcriptions`, {
      method: "POST",
      headers: { authorization: `Bearer ${small.adminKey}`, "content-type": encoded.headers.get("content-type") ?? "" },
      body: encoded.body,
    });
    expect(chunked.status).toBe(413);
    expect(mock.requests.length).toBe(before);

    const fits = await smallClient.audio.transcriptions.create(withKey({ file: await audio("short.mp3", 3000), model: "whisper-1" }));
    expect(fits.text).toBe("transcript of short.mp3");
  });

  test("a retried attempt sends the whole upload again", async () => {
    const smallClient = new OpenAI({ apiKey: small.adminKey, baseURL: `${small.url}/v1`, maxRetries: 0 });
    const before = mock.requests.length;
    mock.fail({ kind: "status", status: 500 });
    const { data, response } = await smallClient.audio.transcriptions.create(withKey({ file: await audio("again.mp3", 3000), model: "whisper-1" })).withResponse();
    expect(data.text).toBe("transcript of again.mp3");
    expect(response.headers.get("x-keyway-attempts")).toBe("2");
    const sent = mock.requests.slice(before);
    expect(sent.map((call) => call.body?.file)).toEqual([1, 2].map(() => ({ file: "again.mp3", type: "audio/mpeg", size: 3000 })));
  });
});
