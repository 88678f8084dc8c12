CREATE TABLE `job_cursors` (
	`name` varchar(64) NOT NULL,
	`cursor` varchar(255) NOT NULL,
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `job_cursors_name` PRIMARY KEY(`name`)
);
--> statement-breakpoint
ALTER TABLE `dead_letters` MODIFY COLUMN `body` mediumtext NOT NULL;--> statement-breakpoint
ALTER TABLE `call_records` ADD `flags` json;--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `tenant_id` varchar(32);--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `kind` varchar(32);--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `call_id` varchar(128);--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `body_truncated` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `error` varchar(1000);--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `status` enum('parked','replayed','discarded') DEFAULT 'parked' NOT NULL;--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `resolved_at` datetime(3);--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `resolved_by` varchar(320);--> statement-breakpoint
ALTER TABLE `tenants` ADD `callback_token_enc` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `callback_token_hash` varchar(128);--> statement-breakpoint
ALTER TABLE `tenants` ADD `callback_token_rotated_at` datetime(3);--> statement-breakpoint
ALTER TABLE `tenants` ADD `previous_callback_token_hash` varchar(128);--> statement-breakpoint
ALTER TABLE `tenants` ADD `previous_callback_token_expires_at` datetime(3);--> statement-breakpoint
ALTER TABLE `webhook_events` ADD `request_query` text;--> statement-breakpoint
ALTER TABLE `webhook_events` ADD `request_body` mediumtext;--> statement-breakpoint
ALTER TABLE `webhook_events` ADD `request_truncated` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `webhook_events` ADD `response_body` text;--> statement-breakpoint
CREATE INDEX `dead_letters_tenant_status_idx` ON `dead_letters` (`tenant_id`,`status`,`received_at`);--> statement-breakpoint
CREATE INDEX `webhook_events_tenant_kind_idx` ON `webhook_events` (`tenant_id`,`kind`,`received_at`);--> statement-breakpoint
ALTER TABLE `webhook_events` DROP COLUMN `payload`;