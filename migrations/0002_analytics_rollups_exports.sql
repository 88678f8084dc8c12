CREATE TABLE `call_rollups` (
	`tenant_id` varchar(32) NOT NULL,
	`slot_start` datetime NOT NULL,
	`direction` enum('inbound','outbound') NOT NULL,
	`group_id` varchar(32) NOT NULL DEFAULT '',
	`agent_id` varchar(32) NOT NULL DEFAULT '',
	`calls` int NOT NULL DEFAULT 0,
	`answered` int NOT NULL DEFAULT 0,
	`failed` int NOT NULL DEFAULT 0,
	`timed_out` int NOT NULL DEFAULT 0,
	`abandoned` int NOT NULL DEFAULT 0,
	`duration_sum` bigint NOT NULL DEFAULT 0,
	`duration_count` int NOT NULL DEFAULT 0,
	`attempts` int NOT NULL DEFAULT 0,
	`first_attempts` int NOT NULL DEFAULT 0,
	`attempts_answered` int NOT NULL DEFAULT 0,
	`attempts_failed` int NOT NULL DEFAULT 0,
	`h0` int NOT NULL DEFAULT 0,
	`h1` int NOT NULL DEFAULT 0,
	`h2` int NOT NULL DEFAULT 0,
	`h3` int NOT NULL DEFAULT 0,
	`h4` int NOT NULL DEFAULT 0,
	`h5` int NOT NULL DEFAULT 0,
	`h6` int NOT NULL DEFAULT 0,
	`h7` int NOT NULL DEFAULT 0,
	`h8` int NOT NULL DEFAULT 0,
	`h9` int NOT NULL DEFAULT 0,
	`h10` int NOT NULL DEFAULT 0,
	`h11` int NOT NULL DEFAULT 0,
	`h12` int NOT NULL DEFAULT 0,
	`h13` int NOT NULL DEFAULT 0,
	`h14` int NOT NULL DEFAULT 0,
	`h15` int NOT NULL DEFAULT 0,
	`h16` int NOT NULL DEFAULT 0,
	`h17` int NOT NULL DEFAULT 0,
	`h18` int NOT NULL DEFAULT 0,
	`h19` int NOT NULL DEFAULT 0,
	CONSTRAINT `call_rollups_tenant_id_slot_start_direction_group_id_agent_id_pk` PRIMARY KEY(`tenant_id`,`slot_start`,`direction`,`group_id`,`agent_id`)
);
--> statement-breakpoint
ALTER TABLE `call_records` ADD `rollup_sig` text;--> statement-breakpoint
ALTER TABLE `exports` ADD `upload_id` varchar(1024);--> statement-breakpoint
ALTER TABLE `exports` ADD `parts` json DEFAULT ('[]') NOT NULL;--> statement-breakpoint
ALTER TABLE `exports` ADD `cursor` text;--> statement-breakpoint
ALTER TABLE `exports` ADD `attempts` int DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `exports` ADD `updated_at` datetime(3) DEFAULT CURRENT_TIMESTAMP(3) NOT NULL;--> statement-breakpoint
ALTER TABLE `call_rollups` ADD CONSTRAINT `call_rollups_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `call_records_tenant_rule_idx` ON `call_records` (`tenant_id`,`rule_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `call_records_tenant_from_idx` ON `call_records` (`tenant_id`,`from_number`,`started_at`);--> statement-breakpoint
CREATE INDEX `call_records_tenant_to_idx` ON `call_records` (`tenant_id`,`to_number`,`started_at`);--> statement-breakpoint
CREATE INDEX `call_records_tenant_duration_idx` ON `call_records` (`tenant_id`,`duration_sec`,`started_at`,`answered_at`);--> statement-breakpoint
CREATE INDEX `exports_status_expires_idx` ON `exports` (`status`,`expires_at`);