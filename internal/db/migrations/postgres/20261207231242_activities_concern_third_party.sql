-- +goose Up
-- drop index "activity_contact_id_created_at_id" from table: "activities"
DROP INDEX "activity_contact_id_created_at_id";
-- drop index "activity_opportunity_id_created_at_id" from table: "activities"
DROP INDEX "activity_opportunity_id_created_at_id";
-- drop index "activity_third_party_id_created_at_id" from table: "activities"
DROP INDEX "activity_third_party_id_created_at_id";
-- modify "activities" table
ALTER TABLE "activities" DROP CONSTRAINT "activities_third_parties_third_party", ALTER COLUMN "third_party_id" SET NOT NULL, ALTER COLUMN "listed_at" SET NOT NULL, ADD CONSTRAINT "activities_third_parties_third_party" FOREIGN KEY ("third_party_id") REFERENCES "third_parties" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION;
-- create index "activity_contact_id_listed_at_id" to table: "activities"
CREATE INDEX "activity_contact_id_listed_at_id" ON "activities" ("contact_id", "listed_at", "id");
-- create index "activity_opportunity_id_listed_at_id" to table: "activities"
CREATE INDEX "activity_opportunity_id_listed_at_id" ON "activities" ("opportunity_id", "listed_at", "id");
-- create index "activity_third_party_id_listed_at_id" to table: "activities"
CREATE INDEX "activity_third_party_id_listed_at_id" ON "activities" ("third_party_id", "listed_at", "id");

-- +goose Down
-- reverse: create index "activity_third_party_id_listed_at_id" to table: "activities"
DROP INDEX "activity_third_party_id_listed_at_id";
-- reverse: create index "activity_opportunity_id_listed_at_id" to table: "activities"
DROP INDEX "activity_opportunity_id_listed_at_id";
-- reverse: create index "activity_contact_id_listed_at_id" to table: "activities"
DROP INDEX "activity_contact_id_listed_at_id";
-- reverse: modify "activities" table
ALTER TABLE "activities" DROP CONSTRAINT "activities_third_parties_third_party", ALTER COLUMN "listed_at" DROP NOT NULL, ALTER COLUMN "third_party_id" DROP NOT NULL, ADD CONSTRAINT "activities_third_parties_third_party" FOREIGN KEY ("third_party_id") REFERENCES "third_parties" ("id") ON UPDATE NO ACTION ON DELETE SET NULL;
-- reverse: drop index "activity_third_party_id_created_at_id" from table: "activities"
CREATE INDEX "activity_third_party_id_created_at_id" ON "activities" ("third_party_id", "created_at", "id");
-- reverse: drop index "activity_opportunity_id_created_at_id" from table: "activities"
CREATE INDEX "activity_opportunity_id_created_at_id" ON "activities" ("opportunity_id", "created_at", "id");
-- reverse: drop index "activity_contact_id_created_at_id" from table: "activities"
CREATE INDEX "activity_contact_id_created_at_id" ON "activities" ("contact_id", "created_at", "id");
