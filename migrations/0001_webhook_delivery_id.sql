ALTER TABLE `webhook_events` ADD `delivery_id` varchar(64) NOT NULL;--> statement-breakpoint
ALTER TABLE `webhook_events` ADD CONSTRAINT `webhook_events_delivery_uq` UNIQUE(`delivery_id`);