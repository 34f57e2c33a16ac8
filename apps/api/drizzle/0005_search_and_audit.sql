-- Search by a phone's tail digits (手机尾号) and by any part of a name, through indexes: the
-- numbers read backwards (a tail is a prefix of them), and the lower-cased two-character pieces
-- of every nickname and staff name (bigram compared by its bytes, as the API writes it).
-- The audit log: the chunks of one import share an entry (group_key), and its filters have indexes.
CREATE TABLE `name_bigrams` (
	`kind` enum('user','staff') NOT NULL,
	`bigram` varchar(2) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`owner_id` bigint unsigned NOT NULL,
	CONSTRAINT `pk_name_bigrams` PRIMARY KEY(`kind`,`bigram`,`owner_id`)
);
--> statement-breakpoint
ALTER TABLE `audit_log` ADD `group_key` varchar(96);--> statement-breakpoint
ALTER TABLE `staff_directory` ADD `mobile_reversed` varchar(20) GENERATED ALWAYS AS ((reverse(`mobile`))) STORED;--> statement-breakpoint
ALTER TABLE `users` ADD `mobile_reversed` varchar(20) GENERATED ALWAYS AS ((reverse(`mobile`))) STORED;--> statement-breakpoint
ALTER TABLE `audit_log` ADD CONSTRAINT `uq_audit_group` UNIQUE(`group_key`);--> statement-breakpoint
CREATE INDEX `ix_name_bigrams_owner` ON `name_bigrams` (`kind`,`owner_id`);--> statement-breakpoint
CREATE INDEX `ix_audit_actor` ON `audit_log` (`actor_type`,`actor_id`);--> statement-breakpoint
CREATE INDEX `ix_audit_actor_name` ON `audit_log` (`actor_type`,`actor_name`);--> statement-breakpoint
CREATE INDEX `ix_audit_created` ON `audit_log` (`created_at`);--> statement-breakpoint
CREATE INDEX `ix_staff_mobile_reversed` ON `staff_directory` (`mobile_reversed`);--> statement-breakpoint
CREATE INDEX `ix_users_mobile_reversed` ON `users` (`mobile_reversed`);--> statement-breakpoint
-- the names stored before this migration (names are at most 64 characters: 63 pieces)
INSERT IGNORE INTO `name_bigrams` (`kind`, `bigram`, `owner_id`)
SELECT 'user', LOWER(SUBSTRING(u.`nickname`, n.i, 2)), u.`id`
FROM `users` u
JOIN (WITH RECURSIVE seq (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 63) SELECT i FROM seq) n
  ON n.i < CHAR_LENGTH(u.`nickname`)
WHERE u.`nickname` IS NOT NULL;--> statement-breakpoint
INSERT IGNORE INTO `name_bigrams` (`kind`, `bigram`, `owner_id`)
SELECT 'staff', LOWER(SUBSTRING(s.`name`, n.i, 2)), s.`id`
FROM `staff_directory` s
JOIN (WITH RECURSIVE seq (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 63) SELECT i FROM seq) n
  ON n.i < CHAR_LENGTH(s.`name`)
WHERE s.`name` IS NOT NULL;
