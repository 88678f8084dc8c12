ALTER TABLE `call_records` ADD `wait_position` int;--> statement-breakpoint
ALTER TABLE `call_records` ADD `wait_sec` int;--> statement-breakpoint
ALTER TABLE `call_records` ADD `wait_outcome` varchar(16);