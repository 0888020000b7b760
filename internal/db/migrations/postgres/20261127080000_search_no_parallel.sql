-- +goose Up
-- Search statements are short and run many at a time: a parallel plan
-- only adds the start of its workers (about 10 ms on a 2-core machine,
-- seen on a multi-word tier the planner thought would read far). No
-- parallel scans of the search tables.
ALTER TABLE "search_entries" SET (parallel_workers = 0);
ALTER TABLE "search_words" SET (parallel_workers = 0);

-- +goose Down
ALTER TABLE "search_entries" RESET (parallel_workers);
ALTER TABLE "search_words" RESET (parallel_workers);
