CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` text NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`key_id` text,
	`provider` text,
	`outcome` text NOT NULL,
	`detail` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_account_time` ON `audit_events` (`account_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `audit_key` ON `audit_events` (`key_id`);--> statement-breakpoint
CREATE TABLE `provider_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`team_id` text,
	`provider` text NOT NULL,
	`label` text,
	`environment` text,
	`organization_id` text,
	`settings` text,
	`ciphertext` text NOT NULL,
	`hint` text NOT NULL,
	`fingerprint` text NOT NULL,
	`status` text NOT NULL,
	`rotation_days` integer,
	`retire_at` integer,
	`created_at` integer NOT NULL,
	`rotated_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `provider_keys_owner` ON `provider_keys` (`account_id`,`provider`,`status`);--> statement-breakpoint
CREATE TABLE `rotation_schedules` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`provider` text NOT NULL,
	`cron` text NOT NULL,
	`webhooks` text NOT NULL,
	`last_run_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rotation_schedule_owner` ON `rotation_schedules` (`account_id`,`provider`);