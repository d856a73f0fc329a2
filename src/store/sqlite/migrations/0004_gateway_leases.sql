CREATE TABLE `gateway_leases` (
	`instance_id` text PRIMARY KEY NOT NULL,
	`host` text NOT NULL,
	`pid` integer NOT NULL,
	`started_at` integer NOT NULL,
	`heartbeat_at` integer NOT NULL,
	`heartbeat_every_ms` integer NOT NULL
);
