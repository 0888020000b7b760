-- +goose Up
-- drop index "searchentry_organisation_id_leading_word_label_record_id" from table: "search_entries"
DROP INDEX `searchentry_organisation_id_leading_word_label_record_id`;
-- drop index "searchentry_record_id_word" from table: "search_entries"
DROP INDEX `searchentry_record_id_word`;
-- create index "searchentry_leading_word" to table: "search_entries"
CREATE INDEX `searchentry_leading_word` ON `search_entries` (`organisation_id`, `word`, `label`, `record_id`) WHERE "leading";
-- create index "searchentry_record_id" to table: "search_entries"
CREATE INDEX `searchentry_record_id` ON `search_entries` (`record_id`);

-- +goose Down
-- reverse: create index "searchentry_record_id" to table: "search_entries"
DROP INDEX `searchentry_record_id`;
-- reverse: create index "searchentry_leading_word" to table: "search_entries"
DROP INDEX `searchentry_leading_word`;
-- reverse: drop index "searchentry_record_id_word" from table: "search_entries"
CREATE INDEX `searchentry_record_id_word` ON `search_entries` (`record_id`, `word`);
-- reverse: drop index "searchentry_organisation_id_leading_word_label_record_id" from table: "search_entries"
CREATE INDEX `searchentry_organisation_id_leading_word_label_record_id` ON `search_entries` (`organisation_id`, `leading`, `word`, `label`, `record_id`);
