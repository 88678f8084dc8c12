CREATE TABLE `campaigns` (
	`id` varchar(32) NOT NULL,
	`tenant_id` varchar(32) NOT NULL,
	`name` varchar(200) NOT NULL,
	`status` enum('draft','running','paused','stopped','completed') NOT NULL DEFAULT 'draft',
	`target_type` enum('agent','group') NOT NULL,
	`target_id` varchar(32) NOT NULL,
	`caller_id` varchar(32) NOT NULL,
	`trunk_id` varchar(32),
	`timezone` varchar(64) NOT NULL,
	`calling_window` json NOT NULL,
	`max_concurrent` int NOT NULL,
	`calls_per_minute` int NOT NULL,
	`ring_timeout_sec` int NOT NULL DEFAULT 30,
	`retry_policy` json NOT NULL,
	`contact_count` int NOT NULL DEFAULT 0,
	`started_at` datetime(3),
	`finished_at` datetime(3),
	`version` int NOT NULL DEFAULT 1,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `campaigns_id` PRIMARY KEY(`id`),
	CONSTRAINT `campaigns_tenant_name_uq` UNIQUE(`tenant_id`,`name`)
);
--> statement-breakpoint
CREATE TABLE `do_not_call` (
	`tenant_id` varchar(32) NOT NULL,
	`number` varchar(20) NOT NULL,
	`note` varchar(200) NOT NULL DEFAULT '',
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `do_not_call_tenant_id_number_pk` PRIMARY KEY(`tenant_id`,`number`)
);
--> statement-breakpoint
CREATE TABLE `provider_accounts` (
	`id` varchar(32) NOT NULL,
	`tenant_id` varchar(32) NOT NULL,
	`name` varchar(200) NOT NULL,
	`description` varchar(1000) NOT NULL DEFAULT '',
	`max_concurrent_calls` int NOT NULL,
	`version` int NOT NULL DEFAULT 1,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `provider_accounts_id` PRIMARY KEY(`id`),
	CONSTRAINT `provider_accounts_tenant_name_uq` UNIQUE(`tenant_id`,`name`)
);
--> statement-breakpoint
ALTER TABLE `agent_groups` ADD `overflow` json;--> statement-breakpoint
ALTER TABLE `inbound_routing_rules` ADD `overflow` json;--> statement-breakpoint
ALTER TABLE `voice_agents` ADD `provider_account_id` varchar(32);--> statement-breakpoint
ALTER TABLE `campaigns` ADD CONSTRAINT `campaigns_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `do_not_call` ADD CONSTRAINT `do_not_call_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `provider_accounts` ADD CONSTRAINT `provider_accounts_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `campaigns_tenant_status_idx` ON `campaigns` (`tenant_id`,`status`);--> statement-breakpoint
CREATE INDEX `voice_agents_tenant_account_idx` ON `voice_agents` (`tenant_id`,`provider_account_id`);