-- +goose Up
-- Hand-written (migrategen -rehash): word ranges are estimated from a
-- column dominated by numeric identifiers; a larger sample lets the
-- planner pick the (organisation_id, leading, word, …) index for leading
-- words.
ALTER TABLE "search_entries" ALTER COLUMN "word" SET STATISTICS 1000;

-- +goose Down
ALTER TABLE "search_entries" ALTER COLUMN "word" SET STATISTICS -1;
