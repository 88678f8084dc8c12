ALTER TABLE `call_records` ADD `from_number_rev` varchar(64) DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `call_records` ADD `to_number_rev` varchar(64) DEFAULT '' NOT NULL;--> statement-breakpoint
-- Backfill (hand-written): the reversed normalisation of workers/domain/numbers.ts (separators and one
-- leading + dropped from an all-digit number, anything else trimmed and lower-cased), before the
-- indexes are built so the update does not maintain them row by row.
UPDATE `call_records` SET `from_number_rev` = REVERSE(IF(REGEXP_REPLACE(REGEXP_REPLACE(`from_number`, '[[:space:]().-]', ''), '^[+]', '') REGEXP '^[0-9]+$', REGEXP_REPLACE(REGEXP_REPLACE(`from_number`, '[[:space:]().-]', ''), '^[+]', ''), LOWER(REGEXP_REPLACE(`from_number`, '^[[:space:]]+|[[:space:]]+$', '')))), `to_number_rev` = REVERSE(IF(REGEXP_REPLACE(REGEXP_REPLACE(`to_number`, '[[:space:]().-]', ''), '^[+]', '') REGEXP '^[0-9]+$', REGEXP_REPLACE(REGEXP_REPLACE(`to_number`, '[[:space:]().-]', ''), '^[+]', ''), LOWER(REGEXP_REPLACE(`to_number`, '^[[:space:]]+|[[:space:]]+$', ''))));--> statement-breakpoint
CREATE INDEX `call_records_tenant_from_rev_idx` ON `call_records` (`tenant_id`,`from_number_rev`,`started_at`);--> statement-breakpoint
CREATE INDEX `call_records_tenant_to_rev_idx` ON `call_records` (`tenant_id`,`to_number_rev`,`started_at`);