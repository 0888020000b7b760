-- +goose Up
-- Written by hand from migrategen's output (which rebuilt the table for
-- the same result): SQLite has no INCLUDE, so the search indexes carry
-- the columns searches read as trailing key columns (ent/schema
-- SQLiteKeyColumns): the tiers read the indexes only.
DROP INDEX `searchentry_organisation_id_word_label_record_id`;
CREATE INDEX `searchentry_organisation_id_word_label_record_id` ON `search_entries` (`organisation_id`, `word`, `label`, `record_id`, `kind`, `closed`, `leading`, `terms`);
DROP INDEX `searchentry_leading_word`;
CREATE INDEX `searchentry_leading_word` ON `search_entries` (`organisation_id`, `word`, `label`, `record_id`, `kind`, `closed`, `leading`, `terms`) WHERE "leading";

-- +goose Down
DROP INDEX `searchentry_leading_word`;
CREATE INDEX `searchentry_leading_word` ON `search_entries` (`organisation_id`, `word`, `label`, `record_id`) WHERE "leading";
DROP INDEX `searchentry_organisation_id_word_label_record_id`;
CREATE INDEX `searchentry_organisation_id_word_label_record_id` ON `search_entries` (`organisation_id`, `word`, `label`, `record_id`);
