-- +goose Up
-- create "companies" table
CREATE TABLE `companies` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `shared` bool NOT NULL DEFAULT (false), `organisation_id` integer NOT NULL, CONSTRAINT `companies_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION);
-- create index "company_organisation_id_name" to table: "companies"
CREATE UNIQUE INDEX `company_organisation_id_name` ON `companies` (`organisation_id`, `name`);
-- create "contacts" table
CREATE TABLE `contacts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `version` integer NOT NULL DEFAULT (1), `civility` text NULL, `first_name` text NULL, `last_name` text NOT NULL, `job_title` text NULL, `direct_line` text NULL, `mobile` text NULL, `email` text NULL, `organisation_id` integer NOT NULL, `third_party_id` integer NOT NULL, CONSTRAINT `contacts_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION, CONSTRAINT `contacts_third_parties_third_party` FOREIGN KEY (`third_party_id`) REFERENCES `third_parties` (`id`) ON DELETE NO ACTION);
-- set sequence for "contacts" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("contacts", 4294967296);
-- create index "contact_organisation_id_last_name" to table: "contacts"
CREATE INDEX `contact_organisation_id_last_name` ON `contacts` (`organisation_id`, `last_name`);
-- create index "contact_third_party_id" to table: "contacts"
CREATE INDEX `contact_third_party_id` ON `contacts` (`third_party_id`);
-- create "custom_field_definitions" table
CREATE TABLE `custom_field_definitions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `target` text NOT NULL, `key` text NOT NULL, `label` text NOT NULL, `type` text NOT NULL, `required` bool NOT NULL DEFAULT (false), `choices` json NULL, `organisation_id` integer NOT NULL, CONSTRAINT `custom_field_definitions_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION);
-- set sequence for "custom_field_definitions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("custom_field_definitions", 8589934592);
-- create index "customfielddefinition_organisation_id_target_key" to table: "custom_field_definitions"
CREATE UNIQUE INDEX `customfielddefinition_organisation_id_target_key` ON `custom_field_definitions` (`organisation_id`, `target`, `key`);
-- create "organisations" table
CREATE TABLE `organisations` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `management_links_enabled` bool NOT NULL DEFAULT (true), `filiation_links_enabled` bool NOT NULL DEFAULT (true), `sirene_enabled` bool NOT NULL DEFAULT (false), `sirene_base_url` text NULL, `sirene_api_key` text NULL);
-- set sequence for "organisations" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("organisations", 12884901888);
-- create "third_parties" table
CREATE TABLE `third_parties` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `status` text NOT NULL, `version` integer NOT NULL DEFAULT (1), `code` text NULL, `name` text NOT NULL, `legal_name` text NULL, `siren` text NULL, `siret` text NULL, `ape_code` text NULL, `vat_number` text NULL, `address_line1` text NULL, `address_line2` text NULL, `address_line3` text NULL, `postal_code` text NULL, `city` text NULL, `country` text NULL, `phone` text NULL, `email` text NULL, `website` text NULL, `custom_fields` json NULL, `organisation_id` integer NOT NULL, `owner_id` integer NULL, CONSTRAINT `third_parties_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION, CONSTRAINT `third_parties_users_owner` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- set sequence for "third_parties" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("third_parties", 17179869184);
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
-- create "tokens" table
CREATE TABLE `tokens` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NULL, `hash` text NOT NULL, `expires_at` datetime NULL, `revoked_at` datetime NULL, `last_used_at` datetime NULL, `organisation_id` integer NOT NULL, `user_id` integer NOT NULL, CONSTRAINT `tokens_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION, CONSTRAINT `tokens_users_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- set sequence for "tokens" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("tokens", 21474836480);
-- create index "tokens_hash_key" to table: "tokens"
CREATE UNIQUE INDEX `tokens_hash_key` ON `tokens` (`hash`);
-- create "users" table
CREATE TABLE `users` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `email` text NOT NULL, `name` text NOT NULL, `rights` json NOT NULL, `organisation_id` integer NOT NULL, `company_id` integer NOT NULL, CONSTRAINT `users_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION, CONSTRAINT `users_companies_company` FOREIGN KEY (`company_id`) REFERENCES `companies` (`id`) ON DELETE NO ACTION);
-- set sequence for "users" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("users", 25769803776);
-- create index "user_organisation_id_email" to table: "users"
CREATE UNIQUE INDEX `user_organisation_id_email` ON `users` (`organisation_id`, `email`);

-- +goose Down
-- reverse: create index "user_organisation_id_email" to table: "users"
DROP INDEX `user_organisation_id_email`;
-- reverse: set sequence for "users" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "users";
-- reverse: create "users" table
DROP TABLE `users`;
-- reverse: create index "tokens_hash_key" to table: "tokens"
DROP INDEX `tokens_hash_key`;
-- reverse: set sequence for "tokens" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "tokens";
-- reverse: create "tokens" table
DROP TABLE `tokens`;
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
-- reverse: set sequence for "third_parties" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "third_parties";
-- reverse: create "third_parties" table
DROP TABLE `third_parties`;
-- reverse: set sequence for "organisations" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "organisations";
-- reverse: create "organisations" table
DROP TABLE `organisations`;
-- reverse: create index "customfielddefinition_organisation_id_target_key" to table: "custom_field_definitions"
DROP INDEX `customfielddefinition_organisation_id_target_key`;
-- reverse: set sequence for "custom_field_definitions" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "custom_field_definitions";
-- reverse: create "custom_field_definitions" table
DROP TABLE `custom_field_definitions`;
-- reverse: create index "contact_third_party_id" to table: "contacts"
DROP INDEX `contact_third_party_id`;
-- reverse: create index "contact_organisation_id_last_name" to table: "contacts"
DROP INDEX `contact_organisation_id_last_name`;
-- reverse: set sequence for "contacts" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "contacts";
-- reverse: create "contacts" table
DROP TABLE `contacts`;
-- reverse: create index "company_organisation_id_name" to table: "companies"
DROP INDEX `company_organisation_id_name`;
-- reverse: create "companies" table
DROP TABLE `companies`;
