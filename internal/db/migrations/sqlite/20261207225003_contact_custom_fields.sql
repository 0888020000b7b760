-- +goose Up
-- disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- add column "custom_fields" to table: "contacts"
ALTER TABLE `contacts` ADD COLUMN `custom_fields` json NULL;
-- create "new_custom_field_definitions" table
CREATE TABLE `new_custom_field_definitions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `entity` text NOT NULL DEFAULT ('THIRD_PARTY'), `target` text NOT NULL, `key` text NOT NULL, `label` text NOT NULL, `type` text NOT NULL, `required` bool NOT NULL DEFAULT (false), `choices` json NULL, `organisation_id` integer NOT NULL, CONSTRAINT `custom_field_definitions_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION);
-- set sequence for "new_custom_field_definitions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_custom_field_definitions", 8589934592);
-- copy rows from old table "custom_field_definitions" to new temporary table "new_custom_field_definitions"
INSERT INTO `new_custom_field_definitions` (`id`, `created_at`, `updated_at`, `target`, `key`, `label`, `type`, `required`, `choices`, `organisation_id`) SELECT `id`, `created_at`, `updated_at`, `target`, `key`, `label`, `type`, `required`, `choices`, `organisation_id` FROM `custom_field_definitions`;
-- drop "custom_field_definitions" table after copying rows
DROP TABLE `custom_field_definitions`;
-- rename temporary table "new_custom_field_definitions" to "custom_field_definitions"
ALTER TABLE `new_custom_field_definitions` RENAME TO `custom_field_definitions`;
-- create index "customfielddefinition_organisation_id_entity_target_key" to table: "custom_field_definitions"
CREATE UNIQUE INDEX `customfielddefinition_organisation_id_entity_target_key` ON `custom_field_definitions` (`organisation_id`, `entity`, `target`, `key`);
-- enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;

-- +goose Down
-- reverse: create index "customfielddefinition_organisation_id_entity_target_key" to table: "custom_field_definitions"
DROP INDEX `customfielddefinition_organisation_id_entity_target_key`;
-- reverse: set sequence for "new_custom_field_definitions" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "new_custom_field_definitions";
-- reverse: create "new_custom_field_definitions" table
DROP TABLE `new_custom_field_definitions`;
-- reverse: add column "custom_fields" to table: "contacts"
ALTER TABLE `contacts` DROP COLUMN `custom_fields`;
