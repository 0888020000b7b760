-- +goose Up
-- modify "contacts" table
ALTER TABLE "contacts" ADD COLUMN "custom_fields" jsonb NULL;
-- drop index "customfielddefinition_organisation_id_target_key" from table: "custom_field_definitions"
DROP INDEX "customfielddefinition_organisation_id_target_key";
-- modify "custom_field_definitions" table
ALTER TABLE "custom_field_definitions" ADD COLUMN "entity" character varying NOT NULL DEFAULT 'THIRD_PARTY';
-- create index "customfielddefinition_organisation_id_entity_target_key" to table: "custom_field_definitions"
CREATE UNIQUE INDEX "customfielddefinition_organisation_id_entity_target_key" ON "custom_field_definitions" ("organisation_id", "entity", "target", "key");

-- +goose Down
-- reverse: create index "customfielddefinition_organisation_id_entity_target_key" to table: "custom_field_definitions"
DROP INDEX "customfielddefinition_organisation_id_entity_target_key";
-- reverse: modify "custom_field_definitions" table
ALTER TABLE "custom_field_definitions" DROP COLUMN "entity";
-- reverse: drop index "customfielddefinition_organisation_id_target_key" from table: "custom_field_definitions"
CREATE UNIQUE INDEX "customfielddefinition_organisation_id_target_key" ON "custom_field_definitions" ("organisation_id", "target", "key");
-- reverse: modify "contacts" table
ALTER TABLE "contacts" DROP COLUMN "custom_fields";
