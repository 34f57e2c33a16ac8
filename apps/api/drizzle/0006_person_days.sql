-- One row per person and day, written first by a booking while a per-day limit is set: two
-- bookings by one person on one day conflict on it on every topology (multi-primary Galera too).
CREATE TABLE `person_days` (
	`user_id` bigint unsigned NOT NULL,
	`day` date NOT NULL,
	`changes` int unsigned NOT NULL DEFAULT 0,
	CONSTRAINT `pk_person_days` PRIMARY KEY(`user_id`,`day`)
);
