CREATE TABLE `admin_accounts` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`username` varchar(64) NOT NULL,
	`password_hash` varchar(255) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
	`last_login_at` datetime(3),
	CONSTRAINT `admin_accounts_id` PRIMARY KEY(`id`),
	CONSTRAINT `uq_admin_username` UNIQUE(`username`)
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`actor_type` enum('admin','user','staff','system') NOT NULL,
	`actor_id` bigint unsigned,
	`actor_name` varchar(64),
	`action` varchar(32) NOT NULL,
	`target` varchar(128) NOT NULL,
	`detail` text,
	`created_at` datetime(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
	CONSTRAINT `audit_log_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `bookings` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`slot_id` bigint unsigned NOT NULL,
	`user_id` bigint unsigned NOT NULL,
	`status` enum('booked','cancelled','checked_in') NOT NULL DEFAULT 'booked',
	`active_flag` tinyint GENERATED ALWAYS AS ((case when `status` = 'cancelled' then null else 1 end)) STORED,
	`created_at` datetime(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
	`cancelled_at` datetime(3),
	`checked_in_at` datetime(3),
	`checked_in_by` bigint unsigned,
	CONSTRAINT `bookings_id` PRIMARY KEY(`id`),
	CONSTRAINT `uq_bookings_active` UNIQUE(`slot_id`,`user_id`,`active_flag`)
);
--> statement-breakpoint
CREATE TABLE `slots` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`starts_at` datetime(3) NOT NULL,
	`ends_at` datetime(3) NOT NULL,
	`title` varchar(64) NOT NULL,
	`capacity` int unsigned NOT NULL,
	`booked` int unsigned NOT NULL DEFAULT 0,
	`created_at` datetime(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
	`deleted_at` datetime(3),
	CONSTRAINT `slots_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `staff_directory` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`country_code` varchar(4) NOT NULL,
	`mobile` varchar(20) NOT NULL,
	`name` varchar(64),
	`note` varchar(255),
	`created_at` datetime(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
	`updated_at` datetime(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
	CONSTRAINT `staff_directory_id` PRIMARY KEY(`id`),
	CONSTRAINT `uq_staff_mobile` UNIQUE(`country_code`,`mobile`)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`role` enum('user','staff') NOT NULL DEFAULT 'user',
	`nickname` varchar(64),
	`avatar_url` varchar(512),
	`country_code` varchar(4),
	`mobile` varchar(20),
	`unionid` varchar(64),
	`is_deleted` boolean NOT NULL DEFAULT false,
	`token_version` int unsigned NOT NULL DEFAULT 1,
	`created_at` datetime(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
	`updated_at` datetime(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
	`last_login_at` datetime(3),
	CONSTRAINT `users_id` PRIMARY KEY(`id`),
	CONSTRAINT `uq_users_mobile` UNIQUE(`country_code`,`mobile`),
	CONSTRAINT `uq_users_unionid` UNIQUE(`unionid`)
);
--> statement-breakpoint
CREATE TABLE `wechat_identities` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`app_id` varchar(32) NOT NULL,
	`openid` varchar(64) NOT NULL,
	`unionid` varchar(64),
	`user_id` bigint unsigned NOT NULL,
	`session_key` varchar(64),
	`created_at` datetime(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
	`last_login_at` datetime(3),
	CONSTRAINT `wechat_identities_id` PRIMARY KEY(`id`),
	CONSTRAINT `uq_identities_app_openid` UNIQUE(`app_id`,`openid`)
);
--> statement-breakpoint
ALTER TABLE `bookings` ADD CONSTRAINT `bookings_slot_id_slots_id_fk` FOREIGN KEY (`slot_id`) REFERENCES `slots`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `bookings` ADD CONSTRAINT `bookings_user_id_users_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `wechat_identities` ADD CONSTRAINT `wechat_identities_user_id_users_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `ix_audit_action` ON `audit_log` (`action`);--> statement-breakpoint
CREATE INDEX `ix_bookings_user` ON `bookings` (`user_id`,`status`);--> statement-breakpoint
CREATE INDEX `ix_bookings_slot` ON `bookings` (`slot_id`,`status`);--> statement-breakpoint
CREATE INDEX `ix_slots_starts` ON `slots` (`starts_at`);--> statement-breakpoint
CREATE INDEX `ix_slots_ends` ON `slots` (`ends_at`);--> statement-breakpoint
CREATE INDEX `ix_staff_mobile` ON `staff_directory` (`mobile`);--> statement-breakpoint
CREATE INDEX `ix_staff_name` ON `staff_directory` (`name`);--> statement-breakpoint
CREATE INDEX `ix_users_mobile` ON `users` (`mobile`);--> statement-breakpoint
CREATE INDEX `ix_users_nickname` ON `users` (`nickname`);--> statement-breakpoint
CREATE INDEX `ix_users_role` ON `users` (`role`);--> statement-breakpoint
CREATE INDEX `ix_users_deleted` ON `users` (`is_deleted`);--> statement-breakpoint
CREATE INDEX `ix_identities_openid` ON `wechat_identities` (`openid`);--> statement-breakpoint
CREATE INDEX `ix_identities_unionid` ON `wechat_identities` (`unionid`);--> statement-breakpoint
CREATE INDEX `ix_identities_user` ON `wechat_identities` (`user_id`);