-- Rows two transactions deciding on the same thing both write, so they conflict on every topology
-- (a locking read does not conflict across the nodes of a multi-primary Galera cluster): one per
-- phone number (binding, staff import, staff removal), one per day of slots (slot creation).
CREATE TABLE `phone_numbers` (
	`country_code` varchar(4) NOT NULL,
	`mobile` varchar(20) NOT NULL,
	`changes` int unsigned NOT NULL DEFAULT 0,
	CONSTRAINT `pk_phone_numbers` PRIMARY KEY(`country_code`,`mobile`)
);
--> statement-breakpoint
CREATE TABLE `slot_days` (
	`day` date NOT NULL,
	`changes` int unsigned NOT NULL DEFAULT 0,
	CONSTRAINT `slot_days_day` PRIMARY KEY(`day`)
);
