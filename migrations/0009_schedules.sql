CREATE TABLE `schedules` (
	`id` varchar(32) NOT NULL,
	`tenant_id` varchar(32) NOT NULL,
	`name` varchar(120) NOT NULL,
	`timezone` varchar(64) NOT NULL,
	`weekly` json NOT NULL,
	`closures` json NOT NULL DEFAULT ('[]'),
	`overrides` json NOT NULL DEFAULT ('[]'),
	`version` int NOT NULL DEFAULT 1,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `schedules_id` PRIMARY KEY(`id`),
	CONSTRAINT `schedules_tenant_name_uq` UNIQUE(`tenant_id`,`name`)
);
--> statement-breakpoint
ALTER TABLE `inbound_routing_rules` ADD `schedule_id` varchar(32);--> statement-breakpoint
ALTER TABLE `inbound_routing_rules` ADD `closed_target` json;--> statement-breakpoint
ALTER TABLE `schedules` ADD CONSTRAINT `schedules_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `inbound_rules_tenant_schedule_idx` ON `inbound_routing_rules` (`tenant_id`,`schedule_id`);