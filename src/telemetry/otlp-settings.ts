// Where OTLP export goes, per signal: the config's `telemetry.otlp` when it is set (it wins), else the standard
// OTEL_* environment variables. Nothing configured: no export, and no SDK is loaded.
import { parseKeyValueList } from "./resource.ts";

export type Signal = "traces" | "metrics" | "logs";
const SIGNALS: readonly Signal[] = ["traces", "metrics", "logs"];

export interface SignalTarget {
  url: string;
  headers: Record<string, string>;
}

export interface OtlpExport {
  traces?: SignalTarget;
  metrics?: SignalTarget;
  logs?: SignalTarget;
  /** How often metrics are pushed (OTEL_METRIC_EXPORT_INTERVAL; 60 s by default). */
  metricIntervalMs: number;
  /** Environment values keyway ignored, and why (logged at start). */
  warnings: string[];
}

export interface ConfiguredOtlp {
  endpoint: string;
  headers?: Record<string, string>;
}

type Env = Record<string, string | undefined>;

const DEFAULT_METRIC_INTERVAL_MS = 60_000;

function isHttpUrl(value: string): boolean {
  return /^https?:\/\/[^\s/]/.test(value);
}

const signalPath = (base: string, signal: Signal) => `${base.replace(/\/+$/, "")}/v1/${signal}`;

function metricInterval(env: Env, warnings: string[]): number {
  const raw = env.OTEL_METRIC_EXPORT_INTERVAL?.trim();
  if (!raw) return DEFAULT_METRIC_INTERVAL_MS;
  const ms = Number(raw);
  if (Number.isInteger(ms) && ms > 0) return ms;
  warnings.push(`OTEL_METRIC_EXPORT_INTERVAL='${raw}' is not a whole number of milliseconds; using ${DEFAULT_METRIC_INTERVAL_MS}`);
  return DEFAULT_METRIC_INTERVAL_MS;
}

/** A signal's target from the environment: its own endpoint (used as it is), else the shared one plus /v1/<signal>. */
function fromEnv(env: Env, signal: Signal, warnings: string[]): SignalTarget | undefined {
  const upper = signal.toUpperCase();
  if (env[`OTEL_${upper}_EXPORTER`]?.trim().toLowerCase() === "none") return undefined;
  const own = env[`OTEL_EXPORTER_OTLP_${upper}_ENDPOINT`]?.trim();
  const shared = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const url = own || (shared ? signalPath(shared, signal) : undefined);
  if (!url) return undefined;
  if (!isHttpUrl(url)) {
    warnings.push(`${own ? `OTEL_EXPORTER_OTLP_${upper}_ENDPOINT` : "OTEL_EXPORTER_OTLP_ENDPOINT"}='${url}' is not an http(s) URL; ${signal} are not exported`);
    return undefined;
  }
  const headers = { ...parseKeyValueList(env.OTEL_EXPORTER_OTLP_HEADERS), ...parseKeyValueList(env[`OTEL_EXPORTER_OTLP_${upper}_HEADERS`]) };
  return { url, headers };
}

/** The signals to export (none when OTEL_SDK_DISABLED=true), and the environment values that were ignored. */
export function otlpExportFrom(configured: ConfiguredOtlp | undefined, env: Env): OtlpExport {
  const warnings: string[] = [];
  const out: OtlpExport = { metricIntervalMs: metricInterval(env, warnings), warnings };
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") return out;
  const protocol = env.OTEL_EXPORTER_OTLP_PROTOCOL?.trim();
  if (protocol && protocol !== "http/json") warnings.push(`OTEL_EXPORTER_OTLP_PROTOCOL='${protocol}' is not supported; keyway exports OTLP over http/json`);
  for (const signal of SIGNALS) {
    out[signal] = configured ? { url: signalPath(configured.endpoint, signal), headers: { ...configured.headers } } : fromEnv(env, signal, warnings);
  }
  return out;
}
