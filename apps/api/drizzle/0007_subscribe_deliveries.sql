-- Subscribe messages owed (issue 23): one row per booking and kind, claimed by a conditional
-- write so one instance alone sends it; `ix_deliveries_due` is the scheduler's scan.
CREATE TABLE `subscribe_deliveries` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`booking_id` bigint unsigned NOT NULL,
	`kind` enum('reminder','cancelled') NOT NULL,
	`template_id` varchar(64) NOT NULL,
	`app_id` varchar(32) NOT NULL,
	`openid` varchar(64) NOT NULL,
	`state` enum('pending','sending','sent','failed','unknown','cancelled') NOT NULL DEFAULT 'pending',
	`due_at` datetime(3),
	`attempts` int unsigned NOT NULL DEFAULT 0,
	`last_errcode` int,
	`claimed_by` varchar(96),
	`claimed_at` datetime(3),
	`settled_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
	CONSTRAINT `subscribe_deliveries_id` PRIMARY KEY(`id`),
	CONSTRAINT `uq_deliveries_booking_kind` UNIQUE(`booking_id`,`kind`)
);
--> statement-breakpoint
ALTER TABLE `subscribe_deliveries` ADD CONSTRAINT `subscribe_deliveries_booking_id_bookings_id_fk` FOREIGN KEY (`booking_id`) REFERENCES `bookings`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `ix_deliveries_due` ON `subscribe_deliveries` (`state`,`due_at`);--> statement-breakpoint
CREATE INDEX `ix_deliveries_claim` ON `subscribe_deliveries` (`claimed_by`);