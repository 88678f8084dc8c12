CREATE TABLE `agent_group_members` (
	`group_id` varchar(32) NOT NULL,
	`agent_id` varchar(32) NOT NULL,
	`tenant_id` varchar(32) NOT NULL,
	`position` int NOT NULL,
	`priority` int NOT NULL DEFAULT 0,
	`weight` int,
	`max_concurrent_calls` int,
	CONSTRAINT `agent_group_members_group_id_agent_id_pk` PRIMARY KEY(`group_id`,`agent_id`)
);
--> statement-breakpoint
CREATE TABLE `agent_groups` (
	`id` varchar(32) NOT NULL,
	`tenant_id` varchar(32) NOT NULL,
	`name` varchar(200) NOT NULL,
	`description` varchar(1000) NOT NULL DEFAULT '',
	`strategy` enum('round_robin','priority','load_balanced') NOT NULL DEFAULT 'round_robin',
	`rolling_window_hours` int NOT NULL DEFAULT 24,
	`max_attempts` int NOT NULL DEFAULT 3,
	`sticky_ttl_seconds` int,
	`enabled` boolean NOT NULL DEFAULT true,
	`version` int NOT NULL DEFAULT 1,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `agent_groups_id` PRIMARY KEY(`id`),
	CONSTRAINT `agent_groups_tenant_name_uq` UNIQUE(`tenant_id`,`name`)
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`tenant_id` varchar(32) NOT NULL,
	`actor_user_id` varchar(32),
	`actor_email` varchar(320),
	`action` varchar(64) NOT NULL,
	`entity_type` varchar(40) NOT NULL,
	`entity_id` varchar(64),
	`before` json,
	`after` json,
	`ip` varchar(64),
	`at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `audit_log_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `auth_sessions` (
	`id` varchar(64) NOT NULL,
	`user_id` varchar(32) NOT NULL,
	`tenant_id` varchar(32) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`expires_at` datetime(3) NOT NULL,
	`revoked_at` datetime(3),
	`ip` varchar(64),
	`user_agent` varchar(300),
	CONSTRAINT `auth_sessions_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `call_events` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`tenant_id` varchar(32) NOT NULL,
	`call_id` varchar(128) NOT NULL,
	`seq` int NOT NULL,
	`type` varchar(40) NOT NULL,
	`at` datetime(3) NOT NULL,
	`data` json NOT NULL,
	CONSTRAINT `call_events_id` PRIMARY KEY(`id`),
	CONSTRAINT `call_events_tenant_call_seq_uq` UNIQUE(`tenant_id`,`call_id`,`seq`)
);
--> statement-breakpoint
CREATE TABLE `call_records` (
	`id` varchar(32) NOT NULL,
	`tenant_id` varchar(32) NOT NULL,
	`call_id` varchar(128) NOT NULL,
	`direction` enum('inbound','outbound') NOT NULL,
	`from_number` varchar(64) NOT NULL DEFAULT '',
	`to_number` varchar(64) NOT NULL DEFAULT '',
	`caller_name` varchar(200),
	`status` varchar(20) NOT NULL,
	`disposition` varchar(20),
	`end_reason` varchar(64),
	`rule_id` varchar(32),
	`group_id` varchar(32),
	`agent_id` varchar(32),
	`trunk_id` varchar(32),
	`attempt_count` int NOT NULL DEFAULT 0,
	`attempts` json NOT NULL DEFAULT ('[]'),
	`decision` json,
	`started_at` datetime(3) NOT NULL,
	`answered_at` datetime(3),
	`ended_at` datetime(3),
	`duration_sec` int,
	`billable_sec` int,
	`last_seq` int NOT NULL DEFAULT 0,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `call_records_id` PRIMARY KEY(`id`),
	CONSTRAINT `call_records_tenant_call_uq` UNIQUE(`tenant_id`,`call_id`)
);
--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`queue` varchar(64) NOT NULL,
	`message_id` varchar(128) NOT NULL,
	`body` json NOT NULL,
	`attempts` int NOT NULL DEFAULT 0,
	`received_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`replayed_at` datetime(3),
	CONSTRAINT `dead_letters_id` PRIMARY KEY(`id`),
	CONSTRAINT `dead_letters_message_uq` UNIQUE(`queue`,`message_id`)
);
--> statement-breakpoint
CREATE TABLE `exports` (
	`id` varchar(32) NOT NULL,
	`tenant_id` varchar(32) NOT NULL,
	`requested_by` varchar(32),
	`format` enum('csv','json') NOT NULL,
	`filters` json NOT NULL,
	`fields` json NOT NULL,
	`status` enum('queued','running','done','failed','expired') NOT NULL DEFAULT 'queued',
	`row_count` int NOT NULL DEFAULT 0,
	`total_rows` int,
	`object_key` varchar(200),
	`size_bytes` bigint unsigned,
	`error` varchar(500),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`completed_at` datetime(3),
	`expires_at` datetime(3),
	CONSTRAINT `exports_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `inbound_routing_rules` (
	`id` varchar(32) NOT NULL,
	`tenant_id` varchar(32) NOT NULL,
	`name` varchar(200) NOT NULL DEFAULT '',
	`pattern` varchar(40) NOT NULL,
	`match_type` enum('exact','prefix') NOT NULL,
	`priority` int NOT NULL DEFAULT 100,
	`enabled` boolean NOT NULL DEFAULT true,
	`target_type` enum('agent','group') NOT NULL,
	`target_id` varchar(32) NOT NULL,
	`fallback` json,
	`version` int NOT NULL DEFAULT 1,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `inbound_routing_rules_id` PRIMARY KEY(`id`),
	CONSTRAINT `inbound_rules_tenant_pattern_uq` UNIQUE(`tenant_id`,`pattern`)
);
--> statement-breakpoint
CREATE TABLE `outbound_routing_rules` (
	`id` varchar(32) NOT NULL,
	`tenant_id` varchar(32) NOT NULL,
	`name` varchar(200) NOT NULL DEFAULT '',
	`caller_patterns` json NOT NULL DEFAULT ('[]'),
	`destination_prefix` varchar(32) NOT NULL DEFAULT '',
	`trunk_ids` json NOT NULL,
	`priority` int NOT NULL DEFAULT 100,
	`enabled` boolean NOT NULL DEFAULT true,
	`version` int NOT NULL DEFAULT 1,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `outbound_routing_rules_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `tenants` (
	`id` varchar(32) NOT NULL,
	`name` varchar(200) NOT NULL,
	`timezone` varchar(64) NOT NULL DEFAULT 'UTC',
	`cloudonix_domain` varchar(253),
	`cloudonix_api_key_enc` text,
	`request_key_hash` varchar(128),
	`request_key_hint` varchar(16),
	`request_key_rotated_at` datetime(3),
	`default_fallback` json,
	`outbound_caller_patterns` json NOT NULL DEFAULT ('[]'),
	`retention_days` int NOT NULL DEFAULT 90,
	`config_version` bigint unsigned NOT NULL DEFAULT 1,
	`version` int NOT NULL DEFAULT 1,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `tenants_id` PRIMARY KEY(`id`),
	CONSTRAINT `tenants_cloudonix_domain_uq` UNIQUE(`cloudonix_domain`)
);
--> statement-breakpoint
CREATE TABLE `trunks` (
	`id` varchar(32) NOT NULL,
	`tenant_id` varchar(32) NOT NULL,
	`name` varchar(120) NOT NULL,
	`description` varchar(1000) NOT NULL DEFAULT '',
	`caller_id_override` varchar(32),
	`enabled` boolean NOT NULL DEFAULT true,
	`version` int NOT NULL DEFAULT 1,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `trunks_id` PRIMARY KEY(`id`),
	CONSTRAINT `trunks_tenant_name_uq` UNIQUE(`tenant_id`,`name`)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` varchar(32) NOT NULL,
	`tenant_id` varchar(32) NOT NULL,
	`email` varchar(320) NOT NULL,
	`name` varchar(200) NOT NULL DEFAULT '',
	`password_hash` varchar(255) NOT NULL,
	`role` enum('admin','user') NOT NULL DEFAULT 'user',
	`disabled` boolean NOT NULL DEFAULT false,
	`last_login_at` datetime(3),
	`version` int NOT NULL DEFAULT 1,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `users_id` PRIMARY KEY(`id`),
	CONSTRAINT `users_email_uq` UNIQUE(`email`)
);
--> statement-breakpoint
CREATE TABLE `voice_agents` (
	`id` varchar(32) NOT NULL,
	`tenant_id` varchar(32) NOT NULL,
	`name` varchar(200) NOT NULL,
	`provider` varchar(40) NOT NULL,
	`service_value` varchar(512) NOT NULL,
	`username` varchar(255),
	`password_enc` text,
	`enabled` boolean NOT NULL DEFAULT true,
	`max_concurrent_calls` int,
	`weight` int NOT NULL DEFAULT 1,
	`tags` json NOT NULL DEFAULT ('[]'),
	`version` int NOT NULL DEFAULT 1,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `voice_agents_id` PRIMARY KEY(`id`),
	CONSTRAINT `voice_agents_tenant_name_uq` UNIQUE(`tenant_id`,`name`)
);
--> statement-breakpoint
CREATE TABLE `webhook_events` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`tenant_id` varchar(32),
	`kind` varchar(32) NOT NULL,
	`call_id` varchar(128),
	`method` varchar(8) NOT NULL,
	`status_code` int NOT NULL,
	`outcome` varchar(40) NOT NULL,
	`error` varchar(500),
	`duration_ms` int NOT NULL DEFAULT 0,
	`received_at` datetime(3) NOT NULL,
	`payload` json,
	CONSTRAINT `webhook_events_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `agent_group_members` ADD CONSTRAINT `agent_group_members_group_id_agent_groups_id_fk` FOREIGN KEY (`group_id`) REFERENCES `agent_groups`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `agent_group_members` ADD CONSTRAINT `agent_group_members_agent_id_voice_agents_id_fk` FOREIGN KEY (`agent_id`) REFERENCES `voice_agents`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `agent_group_members` ADD CONSTRAINT `agent_group_members_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `agent_groups` ADD CONSTRAINT `agent_groups_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `audit_log` ADD CONSTRAINT `audit_log_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `auth_sessions` ADD CONSTRAINT `auth_sessions_user_id_users_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `auth_sessions` ADD CONSTRAINT `auth_sessions_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `call_events` ADD CONSTRAINT `call_events_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `call_records` ADD CONSTRAINT `call_records_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `exports` ADD CONSTRAINT `exports_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `inbound_routing_rules` ADD CONSTRAINT `inbound_routing_rules_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `outbound_routing_rules` ADD CONSTRAINT `outbound_routing_rules_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `trunks` ADD CONSTRAINT `trunks_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `users` ADD CONSTRAINT `users_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `voice_agents` ADD CONSTRAINT `voice_agents_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `agent_group_members_agent_idx` ON `agent_group_members` (`agent_id`);--> statement-breakpoint
CREATE INDEX `agent_group_members_tenant_idx` ON `agent_group_members` (`tenant_id`);--> statement-breakpoint
CREATE INDEX `audit_log_tenant_at_idx` ON `audit_log` (`tenant_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_log_tenant_entity_idx` ON `audit_log` (`tenant_id`,`entity_type`,`entity_id`);--> statement-breakpoint
CREATE INDEX `auth_sessions_user_idx` ON `auth_sessions` (`user_id`);--> statement-breakpoint
CREATE INDEX `auth_sessions_expires_idx` ON `auth_sessions` (`expires_at`);--> statement-breakpoint
CREATE INDEX `call_records_tenant_started_idx` ON `call_records` (`tenant_id`,`started_at`,`id`);--> statement-breakpoint
CREATE INDEX `call_records_tenant_status_idx` ON `call_records` (`tenant_id`,`status`,`started_at`);--> statement-breakpoint
CREATE INDEX `call_records_tenant_agent_idx` ON `call_records` (`tenant_id`,`agent_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `call_records_tenant_group_idx` ON `call_records` (`tenant_id`,`group_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `exports_tenant_created_idx` ON `exports` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `inbound_rules_tenant_target_idx` ON `inbound_routing_rules` (`tenant_id`,`target_id`);--> statement-breakpoint
CREATE INDEX `outbound_rules_tenant_prefix_idx` ON `outbound_routing_rules` (`tenant_id`,`destination_prefix`);--> statement-breakpoint
CREATE INDEX `users_tenant_idx` ON `users` (`tenant_id`);--> statement-breakpoint
CREATE INDEX `voice_agents_tenant_provider_idx` ON `voice_agents` (`tenant_id`,`provider`);--> statement-breakpoint
CREATE INDEX `voice_agents_tenant_created_idx` ON `voice_agents` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `webhook_events_tenant_received_idx` ON `webhook_events` (`tenant_id`,`received_at`);--> statement-breakpoint
CREATE INDEX `webhook_events_call_idx` ON `webhook_events` (`call_id`);