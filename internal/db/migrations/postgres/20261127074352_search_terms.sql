-- +goose Up
-- Every entry gets the record's folded words (terms), included in the
-- word index: the other words of a multi-word search are then matched on
-- the index tuple instead of a probe per candidate. The backfill rewrites
-- every entry and the table is locked meanwhile (minutes at millions of
-- entries): run it in a maintenance window on a large database.
ALTER TABLE "search_entries" ADD COLUMN "terms" text NOT NULL DEFAULT '';
DROP INDEX "searchentry_organisation_id_word_label_record_id";
UPDATE "search_entries" AS e SET "terms" = t."terms"
FROM (SELECT "record_id", string_agg(CASE WHEN "leading" THEN '  ' ELSE ' ' END || "word", '' ORDER BY "id") AS "terms" FROM "search_entries" GROUP BY "record_id") AS t
WHERE t."record_id" = e."record_id";
CREATE INDEX "searchentry_organisation_id_word_label_record_id" ON "search_entries" ("organisation_id", "word", "label", "record_id") INCLUDE ("kind", "closed", "leading", "terms");

-- +goose Down
DROP INDEX "searchentry_organisation_id_word_label_record_id";
ALTER TABLE "search_entries" DROP COLUMN "terms";
CREATE INDEX "searchentry_organisation_id_word_label_record_id" ON "search_entries" ("organisation_id", "word", "label", "record_id") INCLUDE ("kind", "closed", "leading");
