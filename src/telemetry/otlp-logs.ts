// Log export over OTLP (when log export is configured): every line the logger writes, redacted as written, also goes
// out as an OTel log record (body: the message; attributes: the fields). Loaded only then.
import type { AnyValueMap } from "@opentelemetry/api-logs";
import type { Logger, LogLevel } from "./logger.ts";
import type { SignalTarget } from "./otlp-settings.ts";
import { redactValue } from "./redact.ts";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
/** SeverityNumber of the OTel log data model. */
const SEVERITY: Record<LogLevel, number> = { debug: 5, info: 9, warn: 13, error: 17 };

export interface OtlpLogs {
  /** `logger`, with each line it writes at `level` or above also exported. */
  wrap(logger: Logger, level: LogLevel): Logger;
  shutdown(): Promise<void>;
}

export async function startOtlpLogs(target: SignalTarget, resource: Record<string, string>): Promise<OtlpLogs> {
  const [{ LoggerProvider, BatchLogRecordProcessor }, { OTLPLogExporter }, { resourceFromAttributes }] = await Promise.all([
    import("@opentelemetry/sdk-logs"),
    import("@opentelemetry/exporter-logs-otlp-http"),
    import("@opentelemetry/resources"),
  ]);
  const provider = new LoggerProvider({
    resource: resourceFromAttributes(resource),
    processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: target.url, headers: target.headers }) })],
  });
  const otel = provider.getLogger("keyway");
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    otel.emit({
      severityNumber: SEVERITY[level],
      severityText: level.toUpperCase(),
      body: msg,
      attributes: (fields ? redactValue(fields) : {}) as AnyValueMap,
    });
  };
  return {
    wrap(logger, level) {
      const threshold = ORDER[level];
      const both = (at: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
        logger[at](msg, fields);
        if (ORDER[at] >= threshold) emit(at, msg, fields);
      };
      return { debug: both("debug"), info: both("info"), warn: both("warn"), error: both("error"), enabled: (at) => logger.enabled(at) || ORDER[at] >= threshold };
    },
    shutdown: () => provider.shutdown(),
  };
}
