CREATE TABLE `call_rollup_series` (
	`tenant_id` varchar(32) NOT NULL,
	`slot_start` datetime NOT NULL,
	`direction` enum('inbound','outbound') NOT NULL,
	`calls` int NOT NULL DEFAULT 0,
	`answered` int NOT NULL DEFAULT 0,
	`failed` int NOT NULL DEFAULT 0,
	`timed_out` int NOT NULL DEFAULT 0,
	`abandoned` int NOT NULL DEFAULT 0,
	`duration_sum` bigint NOT NULL DEFAULT 0,
	`duration_count` int NOT NULL DEFAULT 0,
	CONSTRAINT `call_rollup_series_pk` PRIMARY KEY(`tenant_id`,`slot_start`,`direction`)
);
--> statement-breakpoint
CREATE TABLE `call_rollups_daily` (
	`tenant_id` varchar(32) NOT NULL,
	`day_start` datetime NOT NULL,
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
	CONSTRAINT `call_rollups_daily_pk` PRIMARY KEY(`tenant_id`,`day_start`,`direction`,`group_id`,`agent_id`)
);
--> statement-breakpoint
ALTER TABLE `call_rollup_series` ADD CONSTRAINT `call_rollup_series_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `call_rollups_daily` ADD CONSTRAINT `call_rollups_daily_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `call_rollups_group_idx` ON `call_rollups` (`tenant_id`,`group_id`,`slot_start`);--> statement-breakpoint
CREATE INDEX `call_rollups_agent_idx` ON `call_rollups` (`tenant_id`,`agent_id`,`slot_start`);