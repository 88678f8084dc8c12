CREATE TABLE `alert_rules` (
	`id` varchar(32) NOT NULL,
	`tenant_id` varchar(32) NOT NULL,
	`name` varchar(120) NOT NULL,
	`kind` varchar(32) NOT NULL,
	`params` json NOT NULL,
	`enabled` boolean NOT NULL DEFAULT true,
	`cooldown_minutes` int NOT NULL DEFAULT 60,
	`notify_webhooks` boolean NOT NULL DEFAULT true,
	`slack_url_enc` text,
	`version` int NOT NULL DEFAULT 1,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `alert_rules_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` varchar(32) NOT NULL,
	`tenant_id` varchar(32) NOT NULL,
	`rule_id` varchar(32),
	`kind` varchar(32) NOT NULL,
	`subject_type` varchar(16) NOT NULL,
	`subject_id` varchar(64) NOT NULL,
	`subject_name` varchar(200) NOT NULL DEFAULT '',
	`status` enum('open','resolved') NOT NULL DEFAULT 'open',
	`open_key` varchar(128),
	`message` varchar(500) NOT NULL,
	`details` json,
	`opened_at` datetime(3) NOT NULL,
	`last_notified_at` datetime(3),
	`notifications` int NOT NULL DEFAULT 0,
	`resolved_at` datetime(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `alerts_id` PRIMARY KEY(`id`),
	CONSTRAINT `alerts_open_uq` UNIQUE(`tenant_id`,`open_key`)
);
--> statement-breakpoint
CREATE TABLE `event_deliveries` (
	`id` varchar(40) NOT NULL,
	`tenant_id` varchar(32) NOT NULL,
	`channel` enum('webhook','slack') NOT NULL DEFAULT 'webhook',
	`endpoint_id` varchar(32),
	`alert_rule_id` varchar(32),
	`event_id` varchar(40) NOT NULL,
	`event_type` varchar(40) NOT NULL,
	`call_id` varchar(128),
	`seq` int,
	`payload` mediumtext NOT NULL,
	`status` enum('held','pending','delivered','failed','cancelled') NOT NULL DEFAULT 'pending',
	`attempts` int NOT NULL DEFAULT 0,
	`first_attempt_at` datetime(3),
	`last_attempt_at` datetime(3),
	`next_attempt_at` datetime(3),
	`lease_until` datetime(3),
	`last_status_code` int,
	`last_error` varchar(300),
	`delivered_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `event_deliveries_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `event_delivery_attempts` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`delivery_id` varchar(40) NOT NULL,
	`tenant_id` varchar(32) NOT NULL,
	`n` int NOT NULL,
	`triggered_by` enum('auto','resend') NOT NULL DEFAULT 'auto',
	`at` datetime(3) NOT NULL,
	`ok` boolean NOT NULL,
	`status_code` int,
	`latency_ms` int NOT NULL,
	`error` varchar(300),
	`response_excerpt` text,
	CONSTRAINT `event_delivery_attempts_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `event_webhooks` (
	`id` varchar(32) NOT NULL,
	`tenant_id` varchar(32) NOT NULL,
	`url` varchar(2048) NOT NULL,
	`description` varchar(500) NOT NULL DEFAULT '',
	`enabled` boolean NOT NULL DEFAULT true,
	`event_types` json NOT NULL,
	`secret_enc` text NOT NULL,
	`secret_hint` varchar(16) NOT NULL,
	`secret_rotated_at` datetime(3),
	`previous_secret_enc` text,
	`previous_secret_expires_at` datetime(3),
	`disabled_reason` varchar(500),
	`disabled_at` datetime(3),
	`failing_since` datetime(3),
	`last_success_at` datetime(3),
	`last_failure_at` datetime(3),
	`version` int NOT NULL DEFAULT 1,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `event_webhooks_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `alert_rules` ADD CONSTRAINT `alert_rules_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `alerts` ADD CONSTRAINT `alerts_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `event_deliveries` ADD CONSTRAINT `event_deliveries_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `event_deliveries` ADD CONSTRAINT `event_deliveries_endpoint_id_event_webhooks_id_fk` FOREIGN KEY (`endpoint_id`) REFERENCES `event_webhooks`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `event_deliveries` ADD CONSTRAINT `event_deliveries_alert_rule_id_alert_rules_id_fk` FOREIGN KEY (`alert_rule_id`) REFERENCES `alert_rules`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `event_delivery_attempts` ADD CONSTRAINT `event_delivery_attempts_delivery_id_event_deliveries_id_fk` FOREIGN KEY (`delivery_id`) REFERENCES `event_deliveries`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `event_delivery_attempts` ADD CONSTRAINT `event_delivery_attempts_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `event_webhooks` ADD CONSTRAINT `event_webhooks_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `alert_rules_tenant_kind_idx` ON `alert_rules` (`tenant_id`,`kind`);--> statement-breakpoint
CREATE INDEX `alerts_tenant_status_idx` ON `alerts` (`tenant_id`,`status`,`opened_at`);--> statement-breakpoint
CREATE INDEX `alerts_tenant_opened_idx` ON `alerts` (`tenant_id`,`opened_at`);--> statement-breakpoint
CREATE INDEX `event_deliveries_tenant_created_idx` ON `event_deliveries` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `event_deliveries_endpoint_created_idx` ON `event_deliveries` (`endpoint_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `event_deliveries_chain_idx` ON `event_deliveries` (`endpoint_id`,`call_id`,`seq`);--> statement-breakpoint
CREATE INDEX `event_deliveries_status_due_idx` ON `event_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `event_deliveries_created_idx` ON `event_deliveries` (`created_at`);--> statement-breakpoint
CREATE INDEX `event_delivery_attempts_delivery_idx` ON `event_delivery_attempts` (`delivery_id`,`id`);--> statement-breakpoint
CREATE INDEX `event_webhooks_tenant_created_idx` ON `event_webhooks` (`tenant_id`,`created_at`);