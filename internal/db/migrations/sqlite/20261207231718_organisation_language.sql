-- +goose Up
-- disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- create "new_organisations" table
CREATE TABLE `new_organisations` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `management_links_enabled` bool NOT NULL DEFAULT (true), `filiation_links_enabled` bool NOT NULL DEFAULT (true), `sirene_enabled` bool NULL, `sirene_base_url` text NULL, `sirene_api_key` text NULL, `language` text NOT NULL DEFAULT ('fr'));
-- set sequence for "new_organisations" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_organisations", 12884901888);
-- copy rows from old table "organisations" to new temporary table "new_organisations"
INSERT INTO `new_organisations` (`id`, `created_at`, `updated_at`, `name`, `management_links_enabled`, `filiation_links_enabled`, `sirene_enabled`, `sirene_base_url`, `sirene_api_key`) SELECT `id`, `created_at`, `updated_at`, `name`, `management_links_enabled`, `filiation_links_enabled`, `sirene_enabled`, `sirene_base_url`, `sirene_api_key` FROM `organisations`;
-- drop "organisations" table after copying rows
DROP TABLE `organisations`;
-- rename temporary table "new_organisations" to "organisations"
ALTER TABLE `new_organisations` RENAME TO `organisations`;
-- enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;

-- +goose Down
-- reverse: set sequence for "new_organisations" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "new_organisations";
-- reverse: create "new_organisations" table
DROP TABLE `new_organisations`;
