-- +goose Up
-- drop index "searchentry_organisation_id_label_record_id" from table: "search_entries"
DROP INDEX "searchentry_organisation_id_label_record_id";

-- +goose Down
-- reverse: drop index "searchentry_organisation_id_label_record_id" from table: "search_entries"
CREATE INDEX "searchentry_organisation_id_label_record_id" ON "search_entries" ("organisation_id", "label", "record_id") INCLUDE ("kind", "closed", "word");
