CREATE TABLE `api_keys` (
	`id` varchar(32) NOT NULL,
	`tenant_id` varchar(32) NOT NULL,
	`name` varchar(100) NOT NULL,
	`role` enum('admin','user') NOT NULL,
	`key_hash` varchar(64) NOT NULL,
	`key_hint` varchar(16) NOT NULL,
	`created_by_user_id` varchar(32),
	`created_by_api_key_id` varchar(32),
	`created_by_name` varchar(320),
	`expires_at` datetime(3),
	`last_used_at` datetime(3),
	`revoked_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `api_keys_id` PRIMARY KEY(`id`),
	CONSTRAINT `api_keys_key_hash_uq` UNIQUE(`key_hash`)
);
--> statement-breakpoint
ALTER TABLE `audit_log` ADD `actor_api_key_id` varchar(32);--> statement-breakpoint
ALTER TABLE `audit_log` ADD `actor_api_key_name` varchar(100);--> statement-breakpoint
ALTER TABLE `api_keys` ADD CONSTRAINT `api_keys_tenant_id_tenants_id_fk` FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `api_keys_tenant_created_idx` ON `api_keys` (`tenant_id`,`created_at`);