-- +goose Up
-- create "search_entries" table
CREATE TABLE `search_entries` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `record_id` integer NOT NULL, `third_party_id` integer NOT NULL, `kind` text NOT NULL, `closed` bool NOT NULL, `word` text NOT NULL, `leading` bool NOT NULL, `label` text NOT NULL, `organisation_id` integer NOT NULL, CONSTRAINT `search_entries_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION);
-- set sequence for "search_entries" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("search_entries", 30064771072);
-- create index "searchentry_organisation_id_word_label_record_id" to table: "search_entries"
CREATE INDEX `searchentry_organisation_id_word_label_record_id` ON `search_entries` (`organisation_id`, `word`, `label`, `record_id`);
-- create index "searchentry_organisation_id_leading_word_label_record_id" to table: "search_entries"
CREATE INDEX `searchentry_organisation_id_leading_word_label_record_id` ON `search_entries` (`organisation_id`, `leading`, `word`, `label`, `record_id`);
-- create index "searchentry_organisation_id_label_record_id" to table: "search_entries"
CREATE INDEX `searchentry_organisation_id_label_record_id` ON `search_entries` (`organisation_id`, `label`, `record_id`);
-- create index "searchentry_record_id_word" to table: "search_entries"
CREATE INDEX `searchentry_record_id_word` ON `search_entries` (`record_id`, `word`);
-- create index "searchentry_third_party_id" to table: "search_entries"
CREATE INDEX `searchentry_third_party_id` ON `search_entries` (`third_party_id`);
-- create index "searchentry_word_trgm" to table: "search_entries"
CREATE INDEX `searchentry_word_trgm` ON `search_entries` (`word`);

-- +goose Down
-- reverse: create index "searchentry_word_trgm" to table: "search_entries"
DROP INDEX `searchentry_word_trgm`;
-- reverse: create index "searchentry_third_party_id" to table: "search_entries"
DROP INDEX `searchentry_third_party_id`;
-- reverse: create index "searchentry_record_id_word" to table: "search_entries"
DROP INDEX `searchentry_record_id_word`;
-- reverse: create index "searchentry_organisation_id_label_record_id" to table: "search_entries"
DROP INDEX `searchentry_organisation_id_label_record_id`;
-- reverse: create index "searchentry_organisation_id_leading_word_label_record_id" to table: "search_entries"
DROP INDEX `searchentry_organisation_id_leading_word_label_record_id`;
-- reverse: create index "searchentry_organisation_id_word_label_record_id" to table: "search_entries"
DROP INDEX `searchentry_organisation_id_word_label_record_id`;
-- reverse: set sequence for "search_entries" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "search_entries";
-- reverse: create "search_entries" table
DROP TABLE `search_entries`;
