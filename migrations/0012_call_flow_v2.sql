ALTER TABLE `inbound_routing_rules` DROP INDEX `inbound_rules_tenant_pattern_uq`;--> statement-breakpoint
ALTER TABLE `agent_groups` ADD `failover_on` json;--> statement-breakpoint
ALTER TABLE `agent_groups` ADD `time_limit_sec` int;--> statement-breakpoint
ALTER TABLE `agent_groups` ADD `context` json;--> statement-breakpoint
ALTER TABLE `inbound_routing_rules` ADD `call_type` enum('inbound','api') DEFAULT 'inbound' NOT NULL;--> statement-breakpoint
ALTER TABLE `inbound_routing_rules` ADD `time_limit_sec` int;--> statement-breakpoint
ALTER TABLE `inbound_routing_rules` ADD `context` json;--> statement-breakpoint
ALTER TABLE `tenants` ADD `unmatched_action` enum('hangup','reject') DEFAULT 'hangup' NOT NULL;--> statement-breakpoint
ALTER TABLE `voice_agents` ADD `trunk_id` varchar(32);--> statement-breakpoint
ALTER TABLE `voice_agents` ADD `context` json;--> statement-breakpoint
ALTER TABLE `inbound_routing_rules` ADD CONSTRAINT `inbound_rules_tenant_pattern_uq` UNIQUE(`tenant_id`,`call_type`,`pattern`,`condition_key`);