-- One avatar per person, re-encoded, in the database: every instance serves it (SPEC §8) and a
-- new upload replaces the old one instead of adding a file.
CREATE TABLE `avatars` (
	`user_id` bigint unsigned NOT NULL,
	`name` varchar(64) NOT NULL,
	`content_type` varchar(32) NOT NULL,
	`bytes` mediumblob NOT NULL,
	`updated_at` datetime(3) NOT NULL,
	CONSTRAINT `avatars_user_id` PRIMARY KEY(`user_id`)
);
--> statement-breakpoint
ALTER TABLE `avatars` ADD CONSTRAINT `avatars_user_id_users_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Admin sessions can be ended: a logout or a password change bumps the version, and tokens carry
-- the version they were issued under.
ALTER TABLE `admin_accounts` ADD `token_version` int unsigned DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Usernames are stored normalised (NFKC, trimmed, lower-case: the API does it before every look-up
-- and insert) and compared by their bytes, so `ádmin` or `admin ` no longer reach `admin` through
-- the collation. Names from before are lowered and trimmed here (they were ASCII in practice).
UPDATE `admin_accounts` SET `username` = LOWER(TRIM(`username`));--> statement-breakpoint
ALTER TABLE `admin_accounts` MODIFY `username` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;
