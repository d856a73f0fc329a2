// The config file's schema (TypeBox): one source for validation, defaults and config/keyway.schema.json.
import { type Static, Type as T } from "@sinclair/typebox";
import { FALLBACK_REASONS } from "./routing-rules.ts";

const strict = { additionalProperties: false } as const;

export const FallbackReason = T.Union(
  FALLBACK_REASONS.map((reason) => T.Literal(reason)),
  { description: "Why an attempt may move on to the next candidate" },
);

const ModelEntry = T.Object(
  {
    id: T.String({ minLength: 1 }),
    aliases: T.Optional(T.Array(T.String({ minLength: 1 }))),
    input_per_mtok: T.Optional(T.Number({ minimum: 0, description: "USD per million input tokens" })),
    output_per_mtok: T.Optional(T.Number({ minimum: 0, description: "USD per million output tokens" })),
    cache_read_per_mtok: T.Optional(T.Number({ minimum: 0, description: "USD per million input tokens read from the prompt cache; default: the input price" })),
    cache_write_per_mtok: T.Optional(T.Number({ minimum: 0, description: "USD per million input tokens written to the prompt cache; default: the input price" })),
  },
  strict,
);

export const ProviderConfig = T.Object(
  {
    adapter: T.String({
      minLength: 1,
      description: "A built-in adapter name (openai, openai-compatible, ...) or the path of a .ts provider plugin",
    }),
    base_url: T.Optional(T.String({ pattern: "^https?://", description: "Upstream base URL; default: the adapter's public one" })),
    platform_keys: T.Optional(T.Array(T.String({ minLength: 1 }), { description: "The operator's shared keys (spend the caller's credits)" })),
    timeout_ms: T.Optional(T.Integer({ minimum: 1, description: "Per-attempt timeout until the first byte; default 60000" })),
    models: T.Optional(T.Array(ModelEntry)),
    options: T.Optional(T.Record(T.String(), T.Unknown(), { description: "Adapter-specific settings" })),
  },
  strict,
);

const RoutingDefault = T.Object(
  {
    strategy: T.String({ default: "byok_preferred" }),
    provider_order: T.Optional(T.Array(T.String())),
    fallback_reasons: T.Optional(T.Array(FallbackReason)),
    use_byok_only: T.Optional(T.Boolean()),
    fallback_to_platform: T.Optional(T.Boolean()),
    cost_weights: T.Optional(T.Record(T.String(), T.Number({ minimum: 0 }))),
    weights: T.Optional(T.Record(T.String(), T.Number({ minimum: 0 }), { description: "provider -> weight, for the weighted strategy" })),
  },
  { ...strict, default: {} },
);

export const HealthSettings = T.Object(
  {
    auto_disable: T.Boolean({ default: false, description: "Skip a provider whose success rate falls under health_threshold until probes succeed" }),
    health_threshold: T.Number({ minimum: 0, maximum: 100, default: 95, description: "Minimum success rate, in percent" }),
    latency_threshold: T.Integer({ minimum: 1, default: 10000, description: "p50 latency (ms) above which a provider is degraded" }),
    check_interval: T.Integer({ minimum: 1, default: 60, description: "Seconds between probes of a disabled provider" }),
  },
  { ...strict, default: {} },
);

export const ConfigSchema = T.Object(
  {
    server: T.Object(
      {
        host: T.String({ default: "127.0.0.1" }),
        port: T.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
        max_body_bytes: T.Integer({ minimum: 1024, default: 10485760 }),
        max_upload_bytes: T.Integer({
          minimum: 1024,
          default: 26214400,
          description: "Largest multipart upload (POST /v1/audio/transcriptions: the audio file and its fields); max_body_bytes bounds JSON bodies",
        }),
        reuse_port: T.Boolean({
          default: false,
          description: "Share host:port with other keyway processes that also set it (SO_REUSEPORT; the kernel spreads connections). Off: a port in use is refused",
        }),
      },
      { ...strict, default: {} },
    ),
    storage: T.Object(
      {
        driver: T.Union([T.Literal("sqlite"), T.Literal("postgres")], { default: "sqlite" }),
        path: T.String({ default: "./keyway.db", description: "SQLite file (driver sqlite only)" }),
        url: T.Optional(
          T.String({ description: "postgres://user:password@host:5432/database (driver postgres only, and required there)" }),
        ),
        pool_size: T.Integer({ minimum: 1, maximum: 1000, default: 10, description: "Connections each gateway keeps (driver postgres only)" }),
        migrate: T.Boolean({
          default: true,
          description: "Apply pending migrations at start-up (driver postgres only); false: serve refuses a database that lacks some, run `keyway migrate`",
        }),
      },
      { ...strict, default: {} },
    ),
    counters: T.Object(
      {
        driver: T.Union([T.Literal("memory"), T.Literal("redis")], { default: "memory" }),
        url: T.Optional(T.String()),
        prefix: T.String({
          default: "keyway:",
          minLength: 1,
          description: "Prefix of every Redis key keyway writes (driver redis), so several installations can share one Redis",
        }),
      },
      { ...strict, default: {} },
    ),
    fleet: T.Object(
      {
        job_lease_ttl_ms: T.Integer({
          minimum: 1000,
          maximum: 3_600_000,
          default: 30_000,
          description: "With counters.driver redis: how long a scheduled job's lease lasts unrenewed, in ms (renewed every third of it); a dead holder's jobs are taken over this long after its last renewal",
        }),
      },
      { ...strict, default: {} },
    ),
    security: T.Object(
      {
        master_key_file: T.String({ default: "./keyway.master.key" }),
        admin_key: T.Optional(T.String()),
        allow_per_request_keys: T.Boolean({ default: true, description: "Accept byok_api_key / X-BYOK-API-Key" }),
        webhook_secret: T.Optional(
          T.String({
            minLength: 16,
            description: "Signs webhooks as Standard Webhooks: a whsec_ secret (base64 of 24-64 bytes), or any other string, used as its UTF-8 bytes",
          }),
        ),
        webhook_allow_private_networks: T.Boolean({
          default: false,
          description: "Send webhooks to loopback, link-local and private addresses too (refused by default)",
        }),
      },
      { ...strict, default: {} },
    ),
    telemetry: T.Object(
      {
        service_name: T.Optional(
          T.String({ description: "service.name of exported telemetry; absent: OTEL_SERVICE_NAME, else service.name in OTEL_RESOURCE_ATTRIBUTES, else keyway" }),
        ),
        otlp: T.Optional(
          T.Object(
            {
              endpoint: T.String({
                pattern: "^https?://",
                description: "OTLP/HTTP base URL: traces go to /v1/traces, metrics to /v1/metrics, logs to /v1/logs (wins over the OTEL_EXPORTER_OTLP_* variables)",
              }),
              headers: T.Optional(T.Record(T.String(), T.String())),
            },
            strict,
          ),
        ),
        prometheus: T.Boolean({ default: false, description: "Serve Prometheus metrics at GET /metrics" }),
        access_log: T.Boolean({ default: true, description: "One info-level JSON line per data-plane request (ids, provider, model, status, latency, tokens, cost)" }),
        log_level: T.Union([T.Literal("debug"), T.Literal("info"), T.Literal("warn"), T.Literal("error")], {
          default: "info",
        }),
      },
      { ...strict, default: {} },
    ),
    providers: T.Optional(T.Record(T.String({ pattern: "^[a-z0-9][a-z0-9_.-]*$" }), ProviderConfig)),
    model_groups: T.Record(T.String(), T.Record(T.String(), T.String()), { default: {} }),
    platform: T.Object(
      {
        markup_percent: T.Number({
          minimum: 0,
          default: 0,
          description: "Price of platform keys over the provider's list price, in percent with at most two decimals (whole basis points: 12.5 or 12.34)",
        }),
        byok_fee_percent: T.Number({
          minimum: 0,
          default: 0,
          description: "keyway's fee on BYOK calls, in percent of their list price (at most two decimals); shown by the cost comparison",
        }),
        rate_limits: T.Optional(
          T.Object(
            {
              rpm: T.Optional(T.Integer({ minimum: 1, description: "Requests per minute per account, platform keys only" })),
              tpm: T.Optional(T.Integer({ minimum: 1, description: "Tokens per minute per account, platform keys only" })),
            },
            strict,
          ),
        ),
        default_output_tokens: T.Integer({ minimum: 1, default: 1024, description: "Output tokens reserved (credits, budgets, tpm) for a request without max_tokens" }),
      },
      { ...strict, default: {} },
    ),
    budgets: T.Object(
      {
        time_zone: T.String({ default: "UTC", description: "IANA time zone whose midnight resets daily team budgets" }),
        stream_cutoff: T.Boolean({
          default: false,
          description: "End a stream (with an error event) once its running cost passes the team's daily budget or the account's credits left",
        }),
      },
      { ...strict, default: {} },
    ),
    usage: T.Object(
      {
        retention_days: T.Integer({
          minimum: 1,
          default: 90,
          description: "Days raw usage rows are kept; older rows are deleted in the background (hourly rollups are kept)",
        }),
      },
      { ...strict, default: {} },
    ),
    notifications: T.Object(
      {
        smtp: T.Optional(
          T.Object(
            {
              host: T.String({ minLength: 1, description: "SMTP server for alert e-mails" }),
              port: T.Integer({ minimum: 1, maximum: 65535, default: 587 }),
              secure: T.Boolean({ default: false, description: "TLS from the first byte (port 465); otherwise STARTTLS when offered" }),
              user: T.Optional(T.String({ minLength: 1 })),
              password: T.Optional(T.String({ minLength: 1, description: "Write it as ${SMTP_PASSWORD}" })),
              from: T.String({ minLength: 3, description: "Sender of alert e-mails, like keyway <alerts@example.com>" }),
            },
            strict,
          ),
        ),
      },
      { ...strict, default: {} },
    ),
    alerts: T.Object(
      {
        evaluate_interval_ms: T.Integer({
          minimum: 10,
          default: 30_000,
          description: "How often alerts are evaluated in the background, in ms (never on the request path)",
        }),
        delivery_attempts: T.Integer({ minimum: 1, maximum: 10, default: 5, description: "Attempts per alert webhook or e-mail recipient, first try included" }),
        retry_backoff_ms: T.Integer({ minimum: 1, default: 1000, description: "Wait before the first retry of an alert delivery, in ms; doubles each retry" }),
      },
      { ...strict, default: {} },
    ),
    routing: T.Object(
      {
        default: RoutingDefault,
        strategies: T.Record(T.String(), T.String(), { default: {}, description: "name -> .ts strategy plugin" }),
        retries: T.Integer({ minimum: 0, maximum: 5, default: 0, description: "Retries of one attempt before moving on" }),
        fallback_reasons: T.Array(FallbackReason, {
          default: [...FALLBACK_REASONS],
        }),
      },
      { ...strict, default: {} },
    ),
    health: HealthSettings,
    dashboard: T.Object(
      {
        enabled: T.Boolean({ default: true, description: "Serve the web dashboard on the same host and port" }),
        path: T.String({
          default: "/dashboard",
          pattern: "^/[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*$",
          description: "Where the dashboard is served: an absolute path without a trailing slash, outside /v1 and /api",
        }),
        session_ttl_minutes: T.Integer({
          minimum: 1,
          maximum: 43_200,
          default: 720,
          description: "How long a dashboard sign-in lasts, in minutes (never past the keyway key's own expiry)",
        }),
      },
      { ...strict, default: {} },
    ),
  },
  { ...strict, $id: "https://keyway.dev/config.schema.json", title: "keyway config" },
);

export type KeywayConfig = Static<typeof ConfigSchema>;
export type ProviderSettings = Static<typeof ProviderConfig>;
export type HealthConfig = Static<typeof HealthSettings>;
