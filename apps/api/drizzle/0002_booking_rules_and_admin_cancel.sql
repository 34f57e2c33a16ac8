-- The booking rules (one row, written on the first PUT /api/admin/settings; the SPEC's defaults until
-- then) and who cancelled a booking and why, which the person is shown.
CREATE TABLE `booking_settings` (
	`id` tinyint unsigned NOT NULL,
	`booking_window_days` int unsigned NOT NULL,
	`cancel_cutoff_minutes` int unsigned NOT NULL,
	`max_active_per_day` int unsigned NOT NULL,
	`check_in_opens_minutes_before` int unsigned NOT NULL,
	`updated_at` datetime(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
	CONSTRAINT `booking_settings_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `bookings` ADD `cancelled_by` enum('user','admin');--> statement-breakpoint
ALTER TABLE `bookings` ADD `cancel_reason` varchar(200);