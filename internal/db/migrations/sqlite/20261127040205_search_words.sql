-- +goose Up
-- create "search_words" table
CREATE TABLE `search_words` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `word` text NOT NULL, `organisation_id` integer NOT NULL, CONSTRAINT `search_words_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION);
-- set sequence for "search_words" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("search_words", 64424509440);
-- create index "searchword_organisation_id_word" to table: "search_words"
CREATE UNIQUE INDEX `searchword_organisation_id_word` ON `search_words` (`organisation_id`, `word`);
-- create index "searchword_word_trgm" to table: "search_words"
CREATE INDEX `searchword_word_trgm` ON `search_words` (`word`);

-- +goose Down
-- reverse: create index "searchword_word_trgm" to table: "search_words"
DROP INDEX `searchword_word_trgm`;
-- reverse: create index "searchword_organisation_id_word" to table: "search_words"
DROP INDEX `searchword_organisation_id_word`;
-- reverse: set sequence for "search_words" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "search_words";
-- reverse: create "search_words" table
DROP TABLE `search_words`;
