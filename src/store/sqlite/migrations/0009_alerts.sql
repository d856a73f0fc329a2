CREATE TABLE `alert_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`alert_id` text NOT NULL,
	`account_id` text NOT NULL,
	`team_id` text,
	`firing_id` text NOT NULL,
	`kind` text NOT NULL,
	`channel` text,
	`target` text,
	`attempt` integer,
	`outcome` text NOT NULL,
	`status` integer,
	`final` integer,
	`detail` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `alert_events_account` ON `alert_events` (`account_id`,`id`);--> statement-breakpoint
CREATE INDEX `alert_events_alert` ON `alert_events` (`alert_id`,`id`);--> statement-breakpoint
CREATE TABLE `alert_firings` (
	`id` text PRIMARY KEY NOT NULL,
	`alert_id` text NOT NULL,
	`window_key` text NOT NULL,
	`fired_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alert_firings_window` ON `alert_firings` (`alert_id`,`window_key`);--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`team_id` text,
	`type` text NOT NULL,
	`provider` text,
	`threshold_micros` integer,
	`period` text,
	`sensitivity` text,
	`notify` text NOT NULL,
	`known_pairs` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `alerts_account` ON `alerts` (`account_id`);