-- +goose Up
-- drop index "searchentry_word_trgm" from table: "search_entries"
DROP INDEX `searchentry_word_trgm`;

-- +goose Down
-- reverse: drop index "searchentry_word_trgm" from table: "search_entries"
CREATE INDEX `searchentry_word_trgm` ON `search_entries` (`word`);
