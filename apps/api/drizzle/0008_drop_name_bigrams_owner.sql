-- Name pieces (issue 24): deleted by the name before, through the primary key, so the index by
-- owner goes; it cost as much to keep up as the pieces' own writes.
DROP INDEX `ix_name_bigrams_owner` ON `name_bigrams`;