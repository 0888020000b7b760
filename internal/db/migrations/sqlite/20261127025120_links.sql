-- +goose Up
-- disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- create "new_third_parties" table
CREATE TABLE `new_third_parties` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `status` text NOT NULL, `version` integer NOT NULL DEFAULT (1), `code` text NULL, `name` text NOT NULL, `legal_name` text NULL, `siren` text NULL, `siret` text NULL, `ape_code` text NULL, `vat_number` text NULL, `address_line1` text NULL, `address_line2` text NULL, `address_line3` text NULL, `postal_code` text NULL, `city` text NULL, `country` text NULL, `phone` text NULL, `email` text NULL, `website` text NULL, `network_id` integer NULL, `custom_fields` json NULL, `organisation_id` integer NOT NULL, `owner_id` integer NULL, CONSTRAINT `third_parties_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION, CONSTRAINT `third_parties_users_owner` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- set sequence for "new_third_parties" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_third_parties", 17179869184);
-- copy rows from old table "third_parties" to new temporary table "new_third_parties"
INSERT INTO `new_third_parties` (`id`, `created_at`, `updated_at`, `kind`, `status`, `version`, `code`, `name`, `legal_name`, `siren`, `siret`, `ape_code`, `vat_number`, `address_line1`, `address_line2`, `address_line3`, `postal_code`, `city`, `country`, `phone`, `email`, `website`, `custom_fields`, `organisation_id`, `owner_id`) SELECT `id`, `created_at`, `updated_at`, `kind`, `status`, `version`, `code`, `name`, `legal_name`, `siren`, `siret`, `ape_code`, `vat_number`, `address_line1`, `address_line2`, `address_line3`, `postal_code`, `city`, `country`, `phone`, `email`, `website`, `custom_fields`, `organisation_id`, `owner_id` FROM `third_parties`;
-- drop "third_parties" table after copying rows
DROP TABLE `third_parties`;
-- rename temporary table "new_third_parties" to "third_parties"
ALTER TABLE `new_third_parties` RENAME TO `third_parties`;
-- create index "thirdparty_organisation_id_code" to table: "third_parties"
CREATE UNIQUE INDEX `thirdparty_organisation_id_code` ON `third_parties` (`organisation_id`, `code`);
-- create index "thirdparty_organisation_id_kind_status" to table: "third_parties"
CREATE INDEX `thirdparty_organisation_id_kind_status` ON `third_parties` (`organisation_id`, `kind`, `status`);
-- create index "thirdparty_organisation_id_name" to table: "third_parties"
CREATE INDEX `thirdparty_organisation_id_name` ON `third_parties` (`organisation_id`, `name`);
-- create index "thirdparty_organisation_id_updated_at" to table: "third_parties"
CREATE INDEX `thirdparty_organisation_id_updated_at` ON `third_parties` (`organisation_id`, `updated_at`);
-- create index "thirdparty_organisation_id_siren" to table: "third_parties"
CREATE INDEX `thirdparty_organisation_id_siren` ON `third_parties` (`organisation_id`, `siren`);
-- create index "thirdparty_owner_id" to table: "third_parties"
CREATE INDEX `thirdparty_owner_id` ON `third_parties` (`owner_id`);
-- create index "thirdparty_organisation_id_network_id" to table: "third_parties"
CREATE INDEX `thirdparty_organisation_id_network_id` ON `third_parties` (`organisation_id`, `network_id`);
-- create "filiation_links" table
CREATE TABLE `filiation_links` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `organisation_id` integer NOT NULL, `third_party_id` integer NOT NULL, `linked_third_party_id` integer NOT NULL, `type_id` integer NOT NULL, CONSTRAINT `filiation_links_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION, CONSTRAINT `filiation_links_third_parties_third_party` FOREIGN KEY (`third_party_id`) REFERENCES `third_parties` (`id`) ON DELETE NO ACTION, CONSTRAINT `filiation_links_third_parties_linked_third_party` FOREIGN KEY (`linked_third_party_id`) REFERENCES `third_parties` (`id`) ON DELETE NO ACTION, CONSTRAINT `filiation_links_link_types_type` FOREIGN KEY (`type_id`) REFERENCES `link_types` (`id`) ON DELETE NO ACTION);
-- set sequence for "filiation_links" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("filiation_links", 34359738368);
-- create index "filiationlink_third_party_id_linked_third_party_id_type_id" to table: "filiation_links"
CREATE UNIQUE INDEX `filiationlink_third_party_id_linked_third_party_id_type_id` ON `filiation_links` (`third_party_id`, `linked_third_party_id`, `type_id`);
-- create index "filiationlink_linked_third_party_id" to table: "filiation_links"
CREATE INDEX `filiationlink_linked_third_party_id` ON `filiation_links` (`linked_third_party_id`);
-- create "link_types" table
CREATE TABLE `link_types` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `code` text NOT NULL, `label` text NOT NULL, `category` text NOT NULL, `direction` text NULL, `organisation_id` integer NOT NULL, `company_id` integer NOT NULL, CONSTRAINT `link_types_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION, CONSTRAINT `link_types_companies_company` FOREIGN KEY (`company_id`) REFERENCES `companies` (`id`) ON DELETE NO ACTION);
-- set sequence for "link_types" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("link_types", 38654705664);
-- create index "linktype_organisation_id_company_id_code" to table: "link_types"
CREATE UNIQUE INDEX `linktype_organisation_id_company_id_code` ON `link_types` (`organisation_id`, `company_id`, `code`);
-- create "management_links" table
CREATE TABLE `management_links` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `ordering_party_id` integer NOT NULL, `is_default` bool NOT NULL DEFAULT (false), `organisation_id` integer NOT NULL, `third_party_id` integer NOT NULL, `type_id` integer NOT NULL, `linked_third_party_id` integer NOT NULL, `linked_type_id` integer NOT NULL, CONSTRAINT `management_links_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION, CONSTRAINT `management_links_third_parties_third_party` FOREIGN KEY (`third_party_id`) REFERENCES `third_parties` (`id`) ON DELETE NO ACTION, CONSTRAINT `management_links_link_types_type` FOREIGN KEY (`type_id`) REFERENCES `link_types` (`id`) ON DELETE NO ACTION, CONSTRAINT `management_links_third_parties_linked_third_party` FOREIGN KEY (`linked_third_party_id`) REFERENCES `third_parties` (`id`) ON DELETE NO ACTION, CONSTRAINT `management_links_link_types_linked_type` FOREIGN KEY (`linked_type_id`) REFERENCES `link_types` (`id`) ON DELETE NO ACTION);
-- set sequence for "management_links" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("management_links", 42949672960);
-- create index "managementlink_third_party_id_t_8cb392d67c9867571ed22928d72d415d" to table: "management_links"
CREATE UNIQUE INDEX `managementlink_third_party_id_t_8cb392d67c9867571ed22928d72d415d` ON `management_links` (`third_party_id`, `type_id`, `linked_third_party_id`, `linked_type_id`);
-- create index "managementlink_linked_third_party_id" to table: "management_links"
CREATE INDEX `managementlink_linked_third_party_id` ON `management_links` (`linked_third_party_id`);
-- create index "managementlink_one_default" to table: "management_links"
CREATE UNIQUE INDEX `managementlink_one_default` ON `management_links` (`ordering_party_id`) WHERE is_default;
-- create index "managementlink_ordering_party_id" to table: "management_links"
CREATE INDEX `managementlink_ordering_party_id` ON `management_links` (`ordering_party_id`);
-- enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;

-- +goose Down
-- reverse: create index "managementlink_ordering_party_id" to table: "management_links"
DROP INDEX `managementlink_ordering_party_id`;
-- reverse: create index "managementlink_one_default" to table: "management_links"
DROP INDEX `managementlink_one_default`;
-- reverse: create index "managementlink_linked_third_party_id" to table: "management_links"
DROP INDEX `managementlink_linked_third_party_id`;
-- reverse: create index "managementlink_third_party_id_t_8cb392d67c9867571ed22928d72d415d" to table: "management_links"
DROP INDEX `managementlink_third_party_id_t_8cb392d67c9867571ed22928d72d415d`;
-- reverse: set sequence for "management_links" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "management_links";
-- reverse: create "management_links" table
DROP TABLE `management_links`;
-- reverse: create index "linktype_organisation_id_company_id_code" to table: "link_types"
DROP INDEX `linktype_organisation_id_company_id_code`;
-- reverse: set sequence for "link_types" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "link_types";
-- reverse: create "link_types" table
DROP TABLE `link_types`;
-- reverse: create index "filiationlink_linked_third_party_id" to table: "filiation_links"
DROP INDEX `filiationlink_linked_third_party_id`;
-- reverse: create index "filiationlink_third_party_id_linked_third_party_id_type_id" to table: "filiation_links"
DROP INDEX `filiationlink_third_party_id_linked_third_party_id_type_id`;
-- reverse: set sequence for "filiation_links" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "filiation_links";
-- reverse: create "filiation_links" table
DROP TABLE `filiation_links`;
-- reverse: create index "thirdparty_organisation_id_network_id" to table: "third_parties"
DROP INDEX `thirdparty_organisation_id_network_id`;
-- reverse: create index "thirdparty_owner_id" to table: "third_parties"
DROP INDEX `thirdparty_owner_id`;
-- reverse: create index "thirdparty_organisation_id_siren" to table: "third_parties"
DROP INDEX `thirdparty_organisation_id_siren`;
-- reverse: create index "thirdparty_organisation_id_updated_at" to table: "third_parties"
DROP INDEX `thirdparty_organisation_id_updated_at`;
-- reverse: create index "thirdparty_organisation_id_name" to table: "third_parties"
DROP INDEX `thirdparty_organisation_id_name`;
-- reverse: create index "thirdparty_organisation_id_kind_status" to table: "third_parties"
DROP INDEX `thirdparty_organisation_id_kind_status`;
-- reverse: create index "thirdparty_organisation_id_code" to table: "third_parties"
DROP INDEX `thirdparty_organisation_id_code`;
-- reverse: set sequence for "new_third_parties" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "new_third_parties";
-- reverse: create "new_third_parties" table
DROP TABLE `new_third_parties`;
