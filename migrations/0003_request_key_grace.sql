ALTER TABLE `tenants` ADD `previous_request_key_hash` varchar(128);--> statement-breakpoint
ALTER TABLE `tenants` ADD `previous_request_key_expires_at` datetime(3);