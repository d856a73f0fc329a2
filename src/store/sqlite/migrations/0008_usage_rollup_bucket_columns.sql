ALTER TABLE `usage_rollups` ADD `latency_bucket_0` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_1` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_2` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_3` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_4` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_5` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_6` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_7` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_8` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_9` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_10` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_11` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_12` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_13` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_14` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_15` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_16` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_17` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_18` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_19` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_20` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_21` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_22` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_23` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_24` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_25` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_26` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_27` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_28` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_29` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_rollups` ADD `latency_bucket_30` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Histograms kept as JSON arrays until now: each count moves to its bucket's column.
UPDATE `usage_rollups` SET `latency_bucket_0` = COALESCE(json_extract(`latency_histogram`, '$[0]'), 0), `latency_bucket_1` = COALESCE(json_extract(`latency_histogram`, '$[1]'), 0), `latency_bucket_2` = COALESCE(json_extract(`latency_histogram`, '$[2]'), 0), `latency_bucket_3` = COALESCE(json_extract(`latency_histogram`, '$[3]'), 0), `latency_bucket_4` = COALESCE(json_extract(`latency_histogram`, '$[4]'), 0), `latency_bucket_5` = COALESCE(json_extract(`latency_histogram`, '$[5]'), 0), `latency_bucket_6` = COALESCE(json_extract(`latency_histogram`, '$[6]'), 0), `latency_bucket_7` = COALESCE(json_extract(`latency_histogram`, '$[7]'), 0), `latency_bucket_8` = COALESCE(json_extract(`latency_histogram`, '$[8]'), 0), `latency_bucket_9` = COALESCE(json_extract(`latency_histogram`, '$[9]'), 0), `latency_bucket_10` = COALESCE(json_extract(`latency_histogram`, '$[10]'), 0), `latency_bucket_11` = COALESCE(json_extract(`latency_histogram`, '$[11]'), 0), `latency_bucket_12` = COALESCE(json_extract(`latency_histogram`, '$[12]'), 0), `latency_bucket_13` = COALESCE(json_extract(`latency_histogram`, '$[13]'), 0), `latency_bucket_14` = COALESCE(json_extract(`latency_histogram`, '$[14]'), 0), `latency_bucket_15` = COALESCE(json_extract(`latency_histogram`, '$[15]'), 0), `latency_bucket_16` = COALESCE(json_extract(`latency_histogram`, '$[16]'), 0), `latency_bucket_17` = COALESCE(json_extract(`latency_histogram`, '$[17]'), 0), `latency_bucket_18` = COALESCE(json_extract(`latency_histogram`, '$[18]'), 0), `latency_bucket_19` = COALESCE(json_extract(`latency_histogram`, '$[19]'), 0), `latency_bucket_20` = COALESCE(json_extract(`latency_histogram`, '$[20]'), 0), `latency_bucket_21` = COALESCE(json_extract(`latency_histogram`, '$[21]'), 0), `latency_bucket_22` = COALESCE(json_extract(`latency_histogram`, '$[22]'), 0), `latency_bucket_23` = COALESCE(json_extract(`latency_histogram`, '$[23]'), 0), `latency_bucket_24` = COALESCE(json_extract(`latency_histogram`, '$[24]'), 0), `latency_bucket_25` = COALESCE(json_extract(`latency_histogram`, '$[25]'), 0), `latency_bucket_26` = COALESCE(json_extract(`latency_histogram`, '$[26]'), 0), `latency_bucket_27` = COALESCE(json_extract(`latency_histogram`, '$[27]'), 0), `latency_bucket_28` = COALESCE(json_extract(`latency_histogram`, '$[28]'), 0), `latency_bucket_29` = COALESCE(json_extract(`latency_histogram`, '$[29]'), 0), `latency_bucket_30` = COALESCE(json_extract(`latency_histogram`, '$[30]'), 0);--> statement-breakpoint
ALTER TABLE `usage_rollups` DROP COLUMN `latency_histogram`;