// A real OTLP/HTTP receiver for tests: accepts JSON exports on /v1/traces, /v1/metrics and /v1/logs, keeps every
// request (path, headers, raw body) and decodes spans, metric names and log records from them.

export interface ReceivedExport {
  path: string;
  headers: Record<string, string>;
  body: string;
}

interface KeyValue {
  key: string;
  value: Record<string, unknown>;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

export interface OtlpLogRecord {
  body: unknown;
  severityText?: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

/** An OTLP AnyValue as a plain value. */
function plain(value: Record<string, unknown> | undefined): unknown {
  if (!value) return undefined;
  if ("stringValue" in value) return value.stringValue;
  if ("boolValue" in value) return value.boolValue;
  if ("intValue" in value) return Number(value.intValue);
  if ("doubleValue" in value) return value.doubleValue;
  if ("arrayValue" in value) return ((value.arrayValue as { values?: Record<string, unknown>[] }).values ?? []).map(plain);
  if ("kvlistValue" in value) return attributes((value.kvlistValue as { values?: KeyValue[] }).values);
  return undefined;
}

function attributes(list: KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, plain(kv.value)]));
}

export class OtlpReceiver {
  readonly received: ReceivedExport[] = [];
  private server?: ReturnType<typeof Bun.serve>;

  start(): this {
    this.server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: async (request) => {
        this.received.push({ path: new URL(request.url).pathname, headers: Object.fromEntries(request.headers), body: await request.text() });
        return Response.json({});
      },
    });
    return this;
  }

  get url(): string {
    if (!this.server) throw new Error("receiver not started");
    return `http://127.0.0.1:${this.server.port}`;
  }

  async stop(): Promise<void> {
    await this.server?.stop(true);
  }

  private bodies(path: string): Record<string, unknown>[] {
    return this.received.filter((r) => r.path === path).map((r) => JSON.parse(r.body) as Record<string, unknown>);
  }

  spans(): OtlpSpan[] {
    return this.bodies("/v1/traces").flatMap((body) =>
      ((body.resourceSpans as { resource?: { attributes?: KeyValue[] }; scopeSpans?: { spans?: Record<string, unknown>[] }[] }[]) ?? []).flatMap((rs) =>
        (rs.scopeSpans ?? []).flatMap((ss) =>
          (ss.spans ?? []).map((span) => ({
            traceId: span.traceId as string,
            spanId: span.spanId as string,
            parentSpanId: (span.parentSpanId as string | undefined) || undefined,
            name: span.name as string,
            kind: span.kind as number,
            attributes: attributes(span.attributes as KeyValue[]),
            resource: attributes(rs.resource?.attributes),
          })),
        ),
      ),
    );
  }

  /** Every exported metric, by name, with its data points' attributes. */
  metrics(): Map<string, Record<string, unknown>[]> {
    const out = new Map<string, Record<string, unknown>[]>();
    for (const body of this.bodies("/v1/metrics")) {
      for (const rm of (body.resourceMetrics as { scopeMetrics?: { metrics?: Record<string, unknown>[] }[] }[]) ?? []) {
        for (const sm of rm.scopeMetrics ?? []) {
          for (const metric of sm.metrics ?? []) {
            const data = (metric.sum ?? metric.histogram ?? metric.gauge) as { dataPoints?: { attributes?: KeyValue[] }[] } | undefined;
            const points = (data?.dataPoints ?? []).map((p) => attributes(p.attributes));
            out.set(metric.name as string, [...(out.get(metric.name as string) ?? []), ...points]);
          }
        }
      }
    }
    return out;
  }

  logs(): OtlpLogRecord[] {
    return this.bodies("/v1/logs").flatMap((body) =>
      ((body.resourceLogs as { resource?: { attributes?: KeyValue[] }; scopeLogs?: { logRecords?: Record<string, unknown>[] }[] }[]) ?? []).flatMap((rl) =>
        (rl.scopeLogs ?? []).flatMap((sl) =>
          (sl.logRecords ?? []).map((record) => ({
            body: plain(record.body as Record<string, unknown>),
            severityText: record.severityText as string | undefined,
            attributes: attributes(record.attributes as KeyValue[]),
            resource: attributes(rl.resource?.attributes),
          })),
        ),
      ),
    );
  }

  /** Waits until `ready` holds (polling), or fails naming `what`. */
  async waitFor(what: string, ready: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      if (Date.now() > deadline) throw new Error(`OTLP receiver: no ${what} within ${timeoutMs} ms (got ${this.received.map((r) => r.path).join(", ") || "nothing"})`);
      await Bun.sleep(50);
    }
  }
}
