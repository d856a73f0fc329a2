CREATE TABLE "accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"credits_micros" bigint DEFAULT 0 NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"alert_id" text NOT NULL,
	"account_id" text NOT NULL,
	"team_id" text,
	"firing_id" text NOT NULL,
	"kind" text NOT NULL,
	"channel" text,
	"target" text,
	"attempt" bigint,
	"outcome" text NOT NULL,
	"status" bigint,
	"final" boolean,
	"detail" jsonb,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_firings" (
	"id" text PRIMARY KEY NOT NULL,
	"alert_id" text NOT NULL,
	"window_key" text NOT NULL,
	"fired_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"team_id" text,
	"type" text NOT NULL,
	"provider" text,
	"threshold_micros" bigint,
	"period" text,
	"sensitivity" text,
	"notify" jsonb NOT NULL,
	"known_pairs" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"team_id" text,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"operator" boolean DEFAULT false NOT NULL,
	"digest" text NOT NULL,
	"prefix" text NOT NULL,
	"ip_allowlist" jsonb,
	"expires_at" bigint,
	"revoked_at" bigint,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "approvals" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"account_id" text NOT NULL,
	"requested_by" text NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"estimated_cost_micros" bigint NOT NULL,
	"status" text NOT NULL,
	"approved_by" text,
	"created_at" bigint NOT NULL,
	"decided_at" bigint
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"key_id" text,
	"provider" text,
	"outcome" text NOT NULL,
	"detail" jsonb,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_reservations" (
	"id" text PRIMARY KEY NOT NULL,
	"request_id" text NOT NULL,
	"account_id" text NOT NULL,
	"instance_id" text NOT NULL,
	"reserved_micros" bigint NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gateway_leases" (
	"instance_id" text PRIMARY KEY NOT NULL,
	"host" text NOT NULL,
	"pid" bigint NOT NULL,
	"started_at" bigint NOT NULL,
	"heartbeat_at" bigint NOT NULL,
	"heartbeat_every_ms" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provider_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"team_id" text,
	"provider" text NOT NULL,
	"label" text,
	"environment" text,
	"organization_id" text,
	"settings" jsonb,
	"ciphertext" text NOT NULL,
	"hint" text NOT NULL,
	"fingerprint" text NOT NULL,
	"status" text NOT NULL,
	"rotation_days" bigint,
	"retire_at" bigint,
	"created_at" bigint NOT NULL,
	"rotated_at" bigint
);
--> statement-breakpoint
CREATE TABLE "request_logs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"request_id" text NOT NULL,
	"api_key_id" text NOT NULL,
	"project_tag" text,
	"endpoint" text NOT NULL,
	"provider" text,
	"model" text,
	"status" bigint NOT NULL,
	"request" jsonb,
	"response" jsonb,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rotation_schedules" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"provider" text NOT NULL,
	"cron" text NOT NULL,
	"webhooks" jsonb NOT NULL,
	"last_run_at" bigint,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "team_members" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"email" text NOT NULL,
	"role" text NOT NULL,
	"byok_access" boolean NOT NULL,
	"api_key_id" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"name" text NOT NULL,
	"permissions" jsonb NOT NULL,
	"usage_controls" jsonb NOT NULL,
	"ip_allowlist" jsonb,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_records" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"request_id" text NOT NULL,
	"account_id" text NOT NULL,
	"api_key_id" text NOT NULL,
	"team_id" text,
	"project_tag" text,
	"endpoint" text NOT NULL,
	"provider" text,
	"model" text,
	"key_source" text,
	"byok" boolean NOT NULL,
	"status" bigint NOT NULL,
	"input_tokens" bigint DEFAULT 0 NOT NULL,
	"output_tokens" bigint DEFAULT 0 NOT NULL,
	"usage_estimated" boolean DEFAULT false NOT NULL,
	"cost_micros" bigint DEFAULT 0 NOT NULL,
	"estimated_cost_micros" bigint DEFAULT 0 NOT NULL,
	"attempts" bigint NOT NULL,
	"latency_ms" bigint NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_rollups" (
	"hour" bigint NOT NULL,
	"account_id" text NOT NULL,
	"team_id" text NOT NULL,
	"project_tag" text NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"key_source" text NOT NULL,
	"requests" bigint NOT NULL,
	"errors" bigint NOT NULL,
	"input_tokens" bigint NOT NULL,
	"output_tokens" bigint NOT NULL,
	"cost_micros" bigint NOT NULL,
	"list_cost_micros" bigint NOT NULL,
	"latency_ms_sum" bigint NOT NULL,
	"latency_bucket_0" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_1" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_2" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_3" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_4" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_5" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_6" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_7" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_8" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_9" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_10" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_11" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_12" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_13" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_14" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_15" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_16" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_17" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_18" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_19" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_20" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_21" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_22" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_23" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_24" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_25" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_26" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_27" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_28" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_29" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_30" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "usage_rollups_account_id_hour_team_id_project_tag_provider_model_key_source_pk" PRIMARY KEY("account_id","hour","team_id","project_tag","provider","model","key_source")
);
--> statement-breakpoint
CREATE TABLE "usage_rollups_daily" (
	"day" bigint NOT NULL,
	"account_id" text NOT NULL,
	"team_id" text NOT NULL,
	"project_tag" text NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"key_source" text NOT NULL,
	"requests" bigint NOT NULL,
	"errors" bigint NOT NULL,
	"input_tokens" bigint NOT NULL,
	"output_tokens" bigint NOT NULL,
	"cost_micros" bigint NOT NULL,
	"list_cost_micros" bigint NOT NULL,
	"latency_ms_sum" bigint NOT NULL,
	"latency_bucket_0" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_1" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_2" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_3" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_4" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_5" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_6" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_7" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_8" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_9" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_10" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_11" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_12" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_13" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_14" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_15" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_16" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_17" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_18" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_19" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_20" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_21" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_22" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_23" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_24" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_25" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_26" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_27" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_28" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_29" bigint DEFAULT 0 NOT NULL,
	"latency_bucket_30" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "usage_rollups_daily_account_id_day_team_id_project_tag_provider_model_key_source_pk" PRIMARY KEY("account_id","day","team_id","project_tag","provider","model","key_source")
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_reservations" ADD CONSTRAINT "credit_reservations_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_keys" ADD CONSTRAINT "provider_keys_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_events_account" ON "alert_events" USING btree ("account_id","id");--> statement-breakpoint
CREATE INDEX "alert_events_alert" ON "alert_events" USING btree ("alert_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "alert_firings_window" ON "alert_firings" USING btree ("alert_id","window_key");--> statement-breakpoint
CREATE INDEX "alerts_account" ON "alerts" USING btree ("account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_digest" ON "api_keys" USING btree ("digest");--> statement-breakpoint
CREATE INDEX "api_keys_account" ON "api_keys" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "api_keys_revoked" ON "api_keys" USING btree ("revoked_at");--> statement-breakpoint
CREATE INDEX "audit_account_time" ON "audit_events" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_key" ON "audit_events" USING btree ("key_id");--> statement-breakpoint
CREATE INDEX "provider_keys_owner" ON "provider_keys" USING btree ("account_id","provider","status");--> statement-breakpoint
CREATE INDEX "request_logs_team_time" ON "request_logs" USING btree ("team_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "rotation_schedule_owner" ON "rotation_schedules" USING btree ("account_id","provider");--> statement-breakpoint
CREATE INDEX "team_members_team" ON "team_members" USING btree ("team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "team_members_key" ON "team_members" USING btree ("api_key_id");--> statement-breakpoint
CREATE INDEX "usage_account_time" ON "usage_records" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE INDEX "usage_created_at" ON "usage_records" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "usage_rollups_hour" ON "usage_rollups" USING btree ("hour");