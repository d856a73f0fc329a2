// The OTel resource keyway's spans, metrics and logs carry: service name, version and instance id (one per process),
// and whatever OTEL_RESOURCE_ATTRIBUTES adds.

/** Stable for the life of this process; a restarted keyway is a new instance. */
export const SERVICE_INSTANCE_ID = crypto.randomUUID();

/** `key=value,key2=value2`, values percent-decoded (the W3C Baggage octet rules the OTel spec names). */
export function parseKeyValueList(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text) return out;
  for (const pair of text.split(",")) {
    const at = pair.indexOf("=");
    if (at <= 0) continue;
    const key = pair.slice(0, at).trim();
    const raw = pair.slice(at + 1).trim();
    if (!key) continue;
    try {
      out[key] = decodeURIComponent(raw);
    } catch {
      out[key] = raw;
    }
  }
  return out;
}

export interface ResourceSettings {
  /** `telemetry.service_name` when the config names one. */
  configuredName?: string;
  version: string;
  env: Record<string, string | undefined>;
}

/**
 * service.name: the config's, else OTEL_SERVICE_NAME, else OTEL_RESOURCE_ATTRIBUTES' service.name, else "keyway".
 * OTEL_RESOURCE_ATTRIBUTES may set the rest (its values win over keyway's own version and instance id).
 */
export function resourceAttributes(settings: ResourceSettings): Record<string, string> {
  const fromEnv = parseKeyValueList(settings.env.OTEL_RESOURCE_ATTRIBUTES);
  const name = settings.configuredName ?? (settings.env.OTEL_SERVICE_NAME?.trim() || undefined) ?? fromEnv["service.name"] ?? "keyway";
  return {
    "service.version": settings.version,
    "service.instance.id": SERVICE_INSTANCE_ID,
    ...fromEnv,
    "service.name": name,
  };
}
