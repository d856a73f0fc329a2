CREATE TABLE `approvals` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`account_id` text NOT NULL,
	`requested_by` text NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`estimated_cost_micros` integer NOT NULL,
	`status` text NOT NULL,
	`approved_by` text,
	`created_at` integer NOT NULL,
	`decided_at` integer
);
--> statement-breakpoint
CREATE TABLE `request_logs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` text NOT NULL,
	`request_id` text NOT NULL,
	`api_key_id` text NOT NULL,
	`project_tag` text,
	`endpoint` text NOT NULL,
	`provider` text,
	`model` text,
	`status` integer NOT NULL,
	`request` text,
	`response` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `request_logs_team_time` ON `request_logs` (`team_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `team_members` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`email` text NOT NULL,
	`role` text NOT NULL,
	`byok_access` integer NOT NULL,
	`api_key_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `team_members_team` ON `team_members` (`team_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `team_members_key` ON `team_members` (`api_key_id`);--> statement-breakpoint
CREATE TABLE `teams` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`name` text NOT NULL,
	`permissions` text NOT NULL,
	`usage_controls` text NOT NULL,
	`ip_allowlist` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `usage_records` ADD `team_id` text;--> statement-breakpoint
ALTER TABLE `usage_records` ADD `project_tag` text;