-- +goose Up
-- drop index "searchentry_organisation_id_label_record_id" from table: "search_entries"
DROP INDEX "searchentry_organisation_id_label_record_id";
-- drop index "searchentry_organisation_id_leading_word_label_record_id" from table: "search_entries"
DROP INDEX "searchentry_organisation_id_leading_word_label_record_id";
-- drop index "searchentry_organisation_id_word_label_record_id" from table: "search_entries"
DROP INDEX "searchentry_organisation_id_word_label_record_id";
-- drop index "searchentry_word_trgm" from table: "search_entries"
DROP INDEX "searchentry_word_trgm";
-- create index "searchentry_organisation_id_label_record_id" to table: "search_entries"
CREATE INDEX "searchentry_organisation_id_label_record_id" ON "search_entries" ("organisation_id", "label", "record_id") INCLUDE ("kind", "closed", "word");
-- create index "searchentry_organisation_id_leading_word_label_record_id" to table: "search_entries"
CREATE INDEX "searchentry_organisation_id_leading_word_label_record_id" ON "search_entries" ("organisation_id", "leading", "word", "label", "record_id") INCLUDE ("kind", "closed");
-- create index "searchentry_organisation_id_word_label_record_id" to table: "search_entries"
CREATE INDEX "searchentry_organisation_id_word_label_record_id" ON "search_entries" ("organisation_id", "word", "label", "record_id") INCLUDE ("kind", "closed", "leading");

-- +goose Down
-- reverse: create index "searchentry_organisation_id_word_label_record_id" to table: "search_entries"
DROP INDEX "searchentry_organisation_id_word_label_record_id";
-- reverse: create index "searchentry_organisation_id_leading_word_label_record_id" to table: "search_entries"
DROP INDEX "searchentry_organisation_id_leading_word_label_record_id";
-- reverse: create index "searchentry_organisation_id_label_record_id" to table: "search_entries"
DROP INDEX "searchentry_organisation_id_label_record_id";
-- reverse: drop index "searchentry_word_trgm" from table: "search_entries"
CREATE INDEX "searchentry_word_trgm" ON "search_entries" USING gin ("word" gin_trgm_ops);
-- reverse: drop index "searchentry_organisation_id_word_label_record_id" from table: "search_entries"
CREATE INDEX "searchentry_organisation_id_word_label_record_id" ON "search_entries" ("organisation_id", "word", "label", "record_id");
-- reverse: drop index "searchentry_organisation_id_leading_word_label_record_id" from table: "search_entries"
CREATE INDEX "searchentry_organisation_id_leading_word_label_record_id" ON "search_entries" ("organisation_id", "leading", "word", "label", "record_id");
-- reverse: drop index "searchentry_organisation_id_label_record_id" from table: "search_entries"
CREATE INDEX "searchentry_organisation_id_label_record_id" ON "search_entries" ("organisation_id", "label", "record_id");
