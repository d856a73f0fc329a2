CREATE TABLE `usage_rollups` (
	`hour` integer NOT NULL,
	`account_id` text NOT NULL,
	`team_id` text NOT NULL,
	`project_tag` text NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`key_source` text NOT NULL,
	`requests` integer NOT NULL,
	`errors` integer NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cost_micros` integer NOT NULL,
	`list_cost_micros` integer NOT NULL,
	`latency_ms_sum` integer NOT NULL,
	`latency_histogram` text NOT NULL,
	PRIMARY KEY(`account_id`, `hour`, `team_id`, `project_tag`, `provider`, `model`, `key_source`)
);
--> statement-breakpoint
CREATE INDEX `usage_created_at` ON `usage_records` (`created_at`);