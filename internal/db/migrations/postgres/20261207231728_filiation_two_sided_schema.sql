-- +goose Up
-- modify "filiation_links" table
ALTER TABLE "filiation_links" ALTER COLUMN "linked_type_id" SET NOT NULL, ALTER COLUMN "relation" SET NOT NULL, ADD CONSTRAINT "filiation_links_link_types_linked_type" FOREIGN KEY ("linked_type_id") REFERENCES "link_types" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION;
-- create index "filiationlink_relation" to table: "filiation_links"
CREATE UNIQUE INDEX "filiationlink_relation" ON "filiation_links" ("relation");
-- create index "filiationlink_third_party_id" to table: "filiation_links"
CREATE INDEX "filiationlink_third_party_id" ON "filiation_links" ("third_party_id");

-- +goose Down
-- reverse: create index "filiationlink_third_party_id" to table: "filiation_links"
DROP INDEX "filiationlink_third_party_id";
-- reverse: create index "filiationlink_relation" to table: "filiation_links"
DROP INDEX "filiationlink_relation";
-- reverse: modify "filiation_links" table
ALTER TABLE "filiation_links" DROP CONSTRAINT "filiation_links_link_types_linked_type", ALTER COLUMN "relation" DROP NOT NULL, ALTER COLUMN "linked_type_id" DROP NOT NULL;
