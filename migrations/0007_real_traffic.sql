ALTER TABLE `inbound_routing_rules` DROP INDEX `inbound_rules_tenant_pattern_uq`;--> statement-breakpoint
ALTER TABLE `call_records` ADD `cx_session_id` bigint unsigned;--> statement-breakpoint
ALTER TABLE `call_records` ADD `mos_rx` double;--> statement-breakpoint
ALTER TABLE `call_records` ADD `mos_tx` double;--> statement-breakpoint
ALTER TABLE `call_records` ADD `jitter_ms` double;--> statement-breakpoint
ALTER TABLE `call_records` ADD `packet_loss_pct` double;--> statement-breakpoint
ALTER TABLE `call_records` ADD `rated_cost` decimal(14,6);--> statement-breakpoint
ALTER TABLE `call_records` ADD `sell_cost` decimal(14,6);--> statement-breakpoint
ALTER TABLE `call_records` ADD `amd_result` varchar(40);--> statement-breakpoint
ALTER TABLE `call_records` ADD `recording_url` varchar(1024);--> statement-breakpoint
ALTER TABLE `call_records` ADD `cx_trunk_id` varchar(64);--> statement-breakpoint
ALTER TABLE `call_records` ADD `cx_route` varchar(200);--> statement-breakpoint
ALTER TABLE `call_records` ADD `carrier_headers` json;--> statement-breakpoint
ALTER TABLE `inbound_routing_rules` ADD `header_name` varchar(64);--> statement-breakpoint
ALTER TABLE `inbound_routing_rules` ADD `header_value` varchar(256);--> statement-breakpoint
ALTER TABLE `inbound_routing_rules` ADD `condition_key` varchar(330) DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `cloudonix_domain_uuid` varchar(36);--> statement-breakpoint
ALTER TABLE `tenants` ADD `routing_number_header` varchar(64);--> statement-breakpoint
ALTER TABLE `inbound_routing_rules` ADD CONSTRAINT `inbound_rules_tenant_pattern_uq` UNIQUE(`tenant_id`,`pattern`,`condition_key`);--> statement-breakpoint
ALTER TABLE `tenants` ADD CONSTRAINT `tenants_cloudonix_domain_uuid_uq` UNIQUE(`cloudonix_domain_uuid`);--> statement-breakpoint
CREATE INDEX `call_records_tenant_cx_session_idx` ON `call_records` (`tenant_id`,`cx_session_id`);