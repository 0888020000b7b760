-- +goose Up
-- Hand-written (migrategen -rehash): the vocabulary of the entries that
-- existed before it.
INSERT INTO "search_words" ("organisation_id", "word")
SELECT DISTINCT "organisation_id", "word" FROM "search_entries"
ON CONFLICT DO NOTHING;

-- +goose Down
DELETE FROM "search_words";
