-- +goose Up
-- drop index "managementlink_one_default" from table: "management_links"
DROP INDEX "managementlink_one_default";
-- create index "managementlink_one_default_per_linked_record" to table: "management_links"
CREATE UNIQUE INDEX "managementlink_one_default_per_linked_record" ON "management_links" ("linked_third_party_id") WHERE is_default;
-- create index "managementlink_one_default_per_record" to table: "management_links"
CREATE UNIQUE INDEX "managementlink_one_default_per_record" ON "management_links" ("third_party_id") WHERE is_default;

-- +goose Down
-- reverse: create index "managementlink_one_default_per_record" to table: "management_links"
DROP INDEX "managementlink_one_default_per_record";
-- reverse: create index "managementlink_one_default_per_linked_record" to table: "management_links"
DROP INDEX "managementlink_one_default_per_linked_record";
-- reverse: drop index "managementlink_one_default" from table: "management_links"
CREATE UNIQUE INDEX "managementlink_one_default" ON "management_links" ("ordering_party_id") WHERE is_default;
