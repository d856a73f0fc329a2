import { describe, expect, test } from "bun:test";
import { otlpExportFrom } from "../../src/telemetry/otlp-settings.ts";
import { parseKeyValueList, resourceAttributes, SERVICE_INSTANCE_ID } from "../../src/telemetry/resource.ts";

describe("OTLP export settings", () => {
  test("nothing configured: no signal is exported", () => {
    const out = otlpExportFrom(undefined, {});
    expect([out.traces, out.metrics, out.logs]).toEqual([undefined, undefined, undefined]);
  });

  test("OTEL_EXPORTER_OTLP_ENDPOINT: each signal at /v1/<signal>; a signal's own endpoint is used as it is", () => {
    const out = otlpExportFrom(undefined, {
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/",
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: "https://metrics.example/otlp/metrics",
      OTEL_EXPORTER_OTLP_HEADERS: "authorization=Basic%20abc,x-tenant=t1",
      OTEL_EXPORTER_OTLP_LOGS_HEADERS: "x-tenant=logs",
      OTEL_METRIC_EXPORT_INTERVAL: "15000",
    });
    expect(out.traces).toEqual({ url: "http://collector:4318/v1/traces", headers: { authorization: "Basic abc", "x-tenant": "t1" } });
    expect(out.metrics?.url).toBe("https://metrics.example/otlp/metrics");
    expect(out.logs).toEqual({ url: "http://collector:4318/v1/logs", headers: { authorization: "Basic abc", "x-tenant": "logs" } });
    expect(out.metricIntervalMs).toBe(15000);
    expect(out.warnings).toEqual([]);
  });

  test("the config's telemetry.otlp wins over the variables", () => {
    const out = otlpExportFrom({ endpoint: "http://configured:4318", headers: { "x-a": "1" } }, { OTEL_EXPORTER_OTLP_ENDPOINT: "http://env:4318", OTEL_EXPORTER_OTLP_HEADERS: "x-b=2" });
    expect(out.traces).toEqual({ url: "http://configured:4318/v1/traces", headers: { "x-a": "1" } });
    expect(out.metrics?.url).toBe("http://configured:4318/v1/metrics");
  });

  test("OTEL_SDK_DISABLED=true turns every export off; OTEL_<SIGNAL>_EXPORTER=none one signal", () => {
    const disabled = otlpExportFrom({ endpoint: "http://configured:4318" }, { OTEL_SDK_DISABLED: "TRUE" });
    expect([disabled.traces, disabled.metrics, disabled.logs]).toEqual([undefined, undefined, undefined]);
    const noLogs = otlpExportFrom(undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_LOGS_EXPORTER: "none" });
    expect(noLogs.logs).toBeUndefined();
    expect(noLogs.traces?.url).toBe("http://c:4318/v1/traces");
  });

  test("values keyway cannot use are ignored with a reason", () => {
    const out = otlpExportFrom(undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318", OTEL_METRIC_EXPORT_INTERVAL: "soon", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" });
    expect(out.traces).toBeUndefined();
    expect(out.metricIntervalMs).toBe(60_000);
    expect(out.warnings).toEqual([
      "OTEL_METRIC_EXPORT_INTERVAL='soon' is not a whole number of milliseconds; using 60000",
      "OTEL_EXPORTER_OTLP_PROTOCOL='grpc' is not supported; keyway exports OTLP over http/json",
      "OTEL_EXPORTER_OTLP_ENDPOINT='collector:4318/v1/traces' is not an http(s) URL; traces are not exported",
      "OTEL_EXPORTER_OTLP_ENDPOINT='collector:4318/v1/metrics' is not an http(s) URL; metrics are not exported",
      "OTEL_EXPORTER_OTLP_ENDPOINT='collector:4318/v1/logs' is not an http(s) URL; logs are not exported",
    ]);
  });
});

describe("resource", () => {
  test("service name: the config's, else OTEL_SERVICE_NAME, else OTEL_RESOURCE_ATTRIBUTES, else keyway", () => {
    const env = { OTEL_SERVICE_NAME: "from-env", OTEL_RESOURCE_ATTRIBUTES: "service.name=from-attrs,deployment.environment=prod" };
    expect(resourceAttributes({ configuredName: "from-config", version: "9.9.9", env })["service.name"]).toBe("from-config");
    expect(resourceAttributes({ version: "9.9.9", env })["service.name"]).toBe("from-env");
    expect(resourceAttributes({ version: "9.9.9", env: { OTEL_RESOURCE_ATTRIBUTES: env.OTEL_RESOURCE_ATTRIBUTES } })["service.name"]).toBe("from-attrs");
    expect(resourceAttributes({ version: "9.9.9", env: {} })).toEqual({ "service.name": "keyway", "service.version": "9.9.9", "service.instance.id": SERVICE_INSTANCE_ID });
    expect(resourceAttributes({ version: "9.9.9", env })["deployment.environment"]).toBe("prod");
  });

  test("key=value lists: trimmed, percent-decoded, malformed pairs skipped", () => {
    expect(parseKeyValueList(" a = 1 ,b=%2Fx, =3,novalue,c=d=e")).toEqual({ a: "1", b: "/x", c: "d=e" });
  });
});
