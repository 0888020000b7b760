-- +goose Up
-- disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- create "new_filiation_links" table
CREATE TABLE `new_filiation_links` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `relation` text NOT NULL, `organisation_id` integer NOT NULL, `third_party_id` integer NOT NULL, `linked_third_party_id` integer NOT NULL, `type_id` integer NOT NULL, `linked_type_id` integer NOT NULL, CONSTRAINT `filiation_links_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION, CONSTRAINT `filiation_links_third_parties_third_party` FOREIGN KEY (`third_party_id`) REFERENCES `third_parties` (`id`) ON DELETE NO ACTION, CONSTRAINT `filiation_links_third_parties_linked_third_party` FOREIGN KEY (`linked_third_party_id`) REFERENCES `third_parties` (`id`) ON DELETE NO ACTION, CONSTRAINT `filiation_links_link_types_type` FOREIGN KEY (`type_id`) REFERENCES `link_types` (`id`) ON DELETE NO ACTION, CONSTRAINT `filiation_links_link_types_linked_type` FOREIGN KEY (`linked_type_id`) REFERENCES `link_types` (`id`) ON DELETE NO ACTION);
-- set sequence for "new_filiation_links" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_filiation_links", 34359738368);
-- copy rows from old table "filiation_links" to new temporary table "new_filiation_links"
INSERT INTO `new_filiation_links` (`id`, `created_at`, `updated_at`, `relation`, `organisation_id`, `third_party_id`, `linked_third_party_id`, `type_id`, `linked_type_id`) SELECT `id`, `created_at`, `updated_at`, `relation`, `organisation_id`, `third_party_id`, `linked_third_party_id`, `type_id`, `linked_type_id` FROM `filiation_links`;
-- drop "filiation_links" table after copying rows
DROP TABLE `filiation_links`;
-- rename temporary table "new_filiation_links" to "filiation_links"
ALTER TABLE `new_filiation_links` RENAME TO `filiation_links`;
-- create index "filiationlink_relation" to table: "filiation_links"
CREATE UNIQUE INDEX `filiationlink_relation` ON `filiation_links` (`relation`);
-- create index "filiationlink_third_party_id" to table: "filiation_links"
CREATE INDEX `filiationlink_third_party_id` ON `filiation_links` (`third_party_id`);
-- create index "filiationlink_linked_third_party_id" to table: "filiation_links"
CREATE INDEX `filiationlink_linked_third_party_id` ON `filiation_links` (`linked_third_party_id`);
-- enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;

-- +goose Down
-- reverse: create index "filiationlink_linked_third_party_id" to table: "filiation_links"
DROP INDEX `filiationlink_linked_third_party_id`;
-- reverse: create index "filiationlink_third_party_id" to table: "filiation_links"
DROP INDEX `filiationlink_third_party_id`;
-- reverse: create index "filiationlink_relation" to table: "filiation_links"
DROP INDEX `filiationlink_relation`;
-- reverse: set sequence for "new_filiation_links" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "new_filiation_links";
-- reverse: create "new_filiation_links" table
DROP TABLE `new_filiation_links`;
