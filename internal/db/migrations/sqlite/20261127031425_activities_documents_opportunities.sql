-- +goose Up
-- create "activities" table
CREATE TABLE `activities` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `type` text NOT NULL, `subject` text NOT NULL, `notes` text NULL, `date` datetime NULL, `due_date` datetime NULL, `done` bool NOT NULL DEFAULT (false), `organisation_id` integer NOT NULL, `third_party_id` integer NULL, `contact_id` integer NULL, `opportunity_id` integer NULL, `author_id` integer NULL, CONSTRAINT `activities_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION, CONSTRAINT `activities_third_parties_third_party` FOREIGN KEY (`third_party_id`) REFERENCES `third_parties` (`id`) ON DELETE SET NULL, CONSTRAINT `activities_contacts_contact` FOREIGN KEY (`contact_id`) REFERENCES `contacts` (`id`) ON DELETE SET NULL, CONSTRAINT `activities_opportunities_opportunity` FOREIGN KEY (`opportunity_id`) REFERENCES `opportunities` (`id`) ON DELETE SET NULL, CONSTRAINT `activities_users_author` FOREIGN KEY (`author_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- set sequence for "activities" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("activities", 47244640256);
-- create index "activity_third_party_id_created_at" to table: "activities"
CREATE INDEX `activity_third_party_id_created_at` ON `activities` (`third_party_id`, `created_at`);
-- create index "activity_contact_id_created_at" to table: "activities"
CREATE INDEX `activity_contact_id_created_at` ON `activities` (`contact_id`, `created_at`);
-- create index "activity_opportunity_id_created_at" to table: "activities"
CREATE INDEX `activity_opportunity_id_created_at` ON `activities` (`opportunity_id`, `created_at`);
-- create "documents" table
CREATE TABLE `documents` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `title` text NOT NULL, `filename` text NOT NULL, `content_type` text NOT NULL, `size` integer NOT NULL, `sha256` text NOT NULL, `storage_key` text NOT NULL, `organisation_id` integer NOT NULL, `third_party_id` integer NULL, `contact_id` integer NULL, `author_id` integer NULL, CONSTRAINT `documents_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION, CONSTRAINT `documents_third_parties_third_party` FOREIGN KEY (`third_party_id`) REFERENCES `third_parties` (`id`) ON DELETE SET NULL, CONSTRAINT `documents_contacts_contact` FOREIGN KEY (`contact_id`) REFERENCES `contacts` (`id`) ON DELETE SET NULL, CONSTRAINT `documents_users_author` FOREIGN KEY (`author_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- set sequence for "documents" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("documents", 51539607552);
-- create index "document_third_party_id_created_at" to table: "documents"
CREATE INDEX `document_third_party_id_created_at` ON `documents` (`third_party_id`, `created_at`);
-- create index "document_contact_id_created_at" to table: "documents"
CREATE INDEX `document_contact_id_created_at` ON `documents` (`contact_id`, `created_at`);
-- create "opportunities" table
CREATE TABLE `opportunities` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `amount` real NULL, `currency` text NOT NULL DEFAULT ('EUR'), `stage` text NULL, `probability` integer NULL, `expected_signing_date` datetime NULL, `organisation_id` integer NOT NULL, `third_party_id` integer NOT NULL, `owner_id` integer NULL, CONSTRAINT `opportunities_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION, CONSTRAINT `opportunities_third_parties_third_party` FOREIGN KEY (`third_party_id`) REFERENCES `third_parties` (`id`) ON DELETE NO ACTION, CONSTRAINT `opportunities_users_owner` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- set sequence for "opportunities" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("opportunities", 55834574848);
-- create index "opportunity_organisation_id_expected_signing_date" to table: "opportunities"
CREATE INDEX `opportunity_organisation_id_expected_signing_date` ON `opportunities` (`organisation_id`, `expected_signing_date`);
-- create index "opportunity_organisation_id_owner_id" to table: "opportunities"
CREATE INDEX `opportunity_organisation_id_owner_id` ON `opportunities` (`organisation_id`, `owner_id`);
-- create index "opportunity_third_party_id" to table: "opportunities"
CREATE INDEX `opportunity_third_party_id` ON `opportunities` (`third_party_id`);
-- create "opportunity_contacts" table
CREATE TABLE `opportunity_contacts` (`opportunity_id` integer NOT NULL, `contact_id` integer NOT NULL, PRIMARY KEY (`opportunity_id`, `contact_id`), CONSTRAINT `opportunity_contacts_opportunity_id` FOREIGN KEY (`opportunity_id`) REFERENCES `opportunities` (`id`) ON DELETE CASCADE, CONSTRAINT `opportunity_contacts_contact_id` FOREIGN KEY (`contact_id`) REFERENCES `contacts` (`id`) ON DELETE CASCADE);

-- +goose Down
-- reverse: create "opportunity_contacts" table
DROP TABLE `opportunity_contacts`;
-- reverse: create index "opportunity_third_party_id" to table: "opportunities"
DROP INDEX `opportunity_third_party_id`;
-- reverse: create index "opportunity_organisation_id_owner_id" to table: "opportunities"
DROP INDEX `opportunity_organisation_id_owner_id`;
-- reverse: create index "opportunity_organisation_id_expected_signing_date" to table: "opportunities"
DROP INDEX `opportunity_organisation_id_expected_signing_date`;
-- reverse: set sequence for "opportunities" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "opportunities";
-- reverse: create "opportunities" table
DROP TABLE `opportunities`;
-- reverse: create index "document_contact_id_created_at" to table: "documents"
DROP INDEX `document_contact_id_created_at`;
-- reverse: create index "document_third_party_id_created_at" to table: "documents"
DROP INDEX `document_third_party_id_created_at`;
-- reverse: set sequence for "documents" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "documents";
-- reverse: create "documents" table
DROP TABLE `documents`;
-- reverse: create index "activity_opportunity_id_created_at" to table: "activities"
DROP INDEX `activity_opportunity_id_created_at`;
-- reverse: create index "activity_contact_id_created_at" to table: "activities"
DROP INDEX `activity_contact_id_created_at`;
-- reverse: create index "activity_third_party_id_created_at" to table: "activities"
DROP INDEX `activity_third_party_id_created_at`;
-- reverse: set sequence for "activities" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "activities";
-- reverse: create "activities" table
DROP TABLE `activities`;
