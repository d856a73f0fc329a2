// Starts a real keyway (in-process, real HTTP) against mock upstreams, with spans and log lines captured.
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { loadConfigFrom } from "../../src/config/load.ts";
import { knownNames } from "../../src/cli/known-names.ts";
import { type Runtime, type RuntimeOptions, startRuntime } from "../../src/runtime.ts";
import { createLogger } from "../../src/telemetry/logger.ts";

export interface TestGateway {
  url: string;
  adminKey: string;
  dir: string;
  dbPath: string;
  spans: InMemorySpanExporter;
  logs: string[];
  runtime: Runtime;
  /** Stops this runtime and starts another on the same database, master key and config (a restart). */
  restart(): Promise<void>;
  /** POST JSON with the admin key (or another). */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

export async function startGateway(rawConfig: Record<string, unknown>): Promise<TestGateway> {
  const dir = mkdtempSync(join(tmpdir(), "keyway-test-"));
  const adminKey = `kw_test_admin_${crypto.randomUUID().replaceAll("-", "")}`;
  const dbPath = join(dir, "keyway.db");
  const raw = {
    ...rawConfig,
    server: { host: "127.0.0.1", port: 0, ...(rawConfig.server as object | undefined) },
    storage: { driver: "sqlite", path: dbPath },
    security: { admin_key: adminKey, master_key_file: join(dir, "master.key"), ...(rawConfig.security as object | undefined) },
    telemetry: { log_level: "debug", ...(rawConfig.telemetry as object | undefined) },
  };
  const { config } = loadConfigFrom(raw, join(dir, "keyway.yaml"), process.env, knownNames);
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const logs: string[] = [];
  const boot = () =>
    startRuntime({
      config: structuredClone(config),
      source: join(process.cwd(), "keyway.yaml"),
      logger: createLogger("debug", (line) => logs.push(line)),
      tracerProvider,
    });
  const gateway: TestGateway = {
    url: "",
    adminKey,
    dir,
    dbPath,
    spans,
    logs,
    runtime: await boot(),
    async restart() {
      await gateway.runtime.stop();
      gateway.runtime = await boot();
      gateway.url = gateway.runtime.url;
    },
    post: (path, body, headers = {}) =>
      fetch(`${gateway.url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json", ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      }),
    async stop() {
      await gateway.runtime.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  gateway.url = gateway.runtime.url;
  return gateway;
}

/** A config with one OpenAI-format provider named `openai` at the mock's URL. */
export function openaiAt(baseUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { providers: { openai: { adapter: "openai", base_url: baseUrl, timeout_ms: 2000, ...extra } } };
}

/** A config with `openai` and `anthropic` providers at their mocks' URLs. */
export function openaiAndAnthropicAt(openaiUrl: string, anthropicUrl: string): Record<string, unknown> {
  return {
    providers: {
      openai: { adapter: "openai", base_url: openaiUrl, timeout_ms: 2000 },
      anthropic: { adapter: "anthropic", base_url: anthropicUrl, timeout_ms: 2000 },
    },
  };
}

/** A request's usage row, once the ledger has written it (group commit: waits up to a second); undefined if none. */
export async function usageRowOf<Row = Record<string, unknown>>(gw: Pick<TestGateway, "dbPath">, requestId: string): Promise<Row | undefined> {
  for (let i = 0; i < 40; i++) {
    const db = new Database(gw.dbPath, { readonly: true });
    try {
      const row = db.query("SELECT * FROM usage_records WHERE request_id = ?").get(requestId) as Row | null;
      if (row) return row;
    } finally {
      db.close();
    }
    await Bun.sleep(25);
  }
  return undefined;
}

export interface PlainRuntime {
  runtime: Runtime;
  adminKey: string;
  stop(): Promise<void>;
}

/**
 * A keyway started as a default install starts (no tracer provider, no OTLP: tracing off; log lines dropped) on a
 * fresh database, with `providers` and, when given, a transport in place of fetch.
 */
export async function startPlainRuntime(providers: Record<string, unknown>, transport?: RuntimeOptions["transport"]): Promise<PlainRuntime> {
  const dir = mkdtempSync(join(tmpdir(), "keyway-plain-"));
  const adminKey = `kw_test_admin_${crypto.randomUUID().replaceAll("-", "")}`;
  const raw = {
    server: { host: "127.0.0.1", port: 0 },
    storage: { driver: "sqlite", path: join(dir, "keyway.db") },
    security: { admin_key: adminKey, master_key_file: join(dir, "master.key") },
    telemetry: { log_level: "error" },
    providers,
  };
  const { config } = loadConfigFrom(raw, join(dir, "keyway.yaml"), {}, knownNames);
  const runtime = await startRuntime({ config, source: join(dir, "keyway.yaml"), logger: createLogger("error", () => {}), transport });
  return {
    runtime,
    adminKey,
    async stop() {
      await runtime.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
