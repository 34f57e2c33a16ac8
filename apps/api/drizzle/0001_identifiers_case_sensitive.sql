-- WeChat's identifiers are case-sensitive: compare them by their bytes (utf8mb4_bin), not with the
-- database's default collation, under which two openids differing only in case would be one
-- identity (and a unionid of one person would link another). The keys on them are rebuilt.
ALTER TABLE `wechat_identities`
	MODIFY `app_id` varchar(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	MODIFY `openid` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	MODIFY `unionid` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;--> statement-breakpoint
ALTER TABLE `users` MODIFY `unionid` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
