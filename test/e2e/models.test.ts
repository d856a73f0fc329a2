// GET /v1/models and GET /v1/models/{id} through the official openai client (models.list, models.retrieve, which
// URL-encodes the slash of provider/model) and over plain HTTP.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { openaiAt, startGateway, type TestGateway } from "../helpers/gateway.ts";

let mock: MockOpenAI;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  mock = new MockOpenAI().start();
  gw = await startGateway({
    ...openaiAt(mock.url, { models: [{ id: "house-model", input_per_mtok: 1, output_per_mtok: 2 }] }),
    model_groups: { smart: { openai: "house-model" } },
  });
  client = new OpenAI({ apiKey: gw.adminKey, baseURL: `${gw.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

const get = (path: string, key: string | null = gw.adminKey) =>
  fetch(`${gw.url}${path}`, { headers: key === null ? {} : { authorization: `Bearer ${key}` } });

describe("models", () => {
  test("models.retrieve answers each listed model as the list shows it, provider/model ids and groups alike", async () => {
    const listed: OpenAI.Model[] = [];
    for await (const model of client.models.list()) listed.push(model);
    const ids = listed.map((m) => m.id);
    expect(ids).toContain("openai/house-model");
    expect(ids).toContain("smart");
    for (const id of ["openai/house-model", "smart", ids[0] as string]) {
      const model = await client.models.retrieve(id);
      expect(model).toEqual(listed.find((m) => m.id === id) as OpenAI.Model);
    }
    expect((await client.models.retrieve("openai/house-model")).owned_by).toBe("openai");
  });

  test("the slash may come unencoded too", async () => {
    const res = await get("/v1/models/openai/house-model");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: "openai/house-model", object: "model", created: 0, owned_by: "openai" });
  });

  test("an unknown model is a 404 model_not_found in OpenAI's shape; a bad encoding a 400; no key a 401", async () => {
    const error = await client.models.retrieve("openai/no-such-model").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe("model_not_found");
    expect((error as Error).message).toContain("openai/no-such-model");
    const bad = await get("/v1/models/%E0%A4%A");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe("model");
    expect((await get("/v1/models/openai%2Fhouse-model", null)).status).toBe(401);
  });
});
