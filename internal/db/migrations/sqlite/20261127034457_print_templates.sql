-- +goose Up
-- disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- create "new_documents" table
CREATE TABLE `new_documents` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `title` text NOT NULL, `filename` text NOT NULL, `content_type` text NOT NULL, `size` integer NOT NULL, `sha256` text NOT NULL, `listed` bool NOT NULL DEFAULT (true), `storage_key` text NOT NULL, `organisation_id` integer NOT NULL, `third_party_id` integer NULL, `contact_id` integer NULL, `author_id` integer NULL, CONSTRAINT `documents_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION, CONSTRAINT `documents_third_parties_third_party` FOREIGN KEY (`third_party_id`) REFERENCES `third_parties` (`id`) ON DELETE SET NULL, CONSTRAINT `documents_contacts_contact` FOREIGN KEY (`contact_id`) REFERENCES `contacts` (`id`) ON DELETE SET NULL, CONSTRAINT `documents_users_author` FOREIGN KEY (`author_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- set sequence for "new_documents" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_documents", 51539607552);
-- copy rows from old table "documents" to new temporary table "new_documents"
INSERT INTO `new_documents` (`id`, `created_at`, `updated_at`, `title`, `filename`, `content_type`, `size`, `sha256`, `storage_key`, `organisation_id`, `third_party_id`, `contact_id`, `author_id`) SELECT `id`, `created_at`, `updated_at`, `title`, `filename`, `content_type`, `size`, `sha256`, `storage_key`, `organisation_id`, `third_party_id`, `contact_id`, `author_id` FROM `documents`;
-- drop "documents" table after copying rows
DROP TABLE `documents`;
-- rename temporary table "new_documents" to "documents"
ALTER TABLE `new_documents` RENAME TO `documents`;
-- create index "document_third_party_id_created_at" to table: "documents"
CREATE INDEX `document_third_party_id_created_at` ON `documents` (`third_party_id`, `created_at`);
-- create index "document_contact_id_created_at" to table: "documents"
CREATE INDEX `document_contact_id_created_at` ON `documents` (`contact_id`, `created_at`);
-- create "print_templates" table
CREATE TABLE `print_templates` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `formats` json NOT NULL, `body` text NOT NULL, `organisation_id` integer NOT NULL, CONSTRAINT `print_templates_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION);
-- set sequence for "print_templates" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("print_templates", 60129542144);
-- create index "printtemplate_organisation_id_name" to table: "print_templates"
CREATE UNIQUE INDEX `printtemplate_organisation_id_name` ON `print_templates` (`organisation_id`, `name`);
-- enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;

-- +goose Down
-- reverse: create index "printtemplate_organisation_id_name" to table: "print_templates"
DROP INDEX `printtemplate_organisation_id_name`;
-- reverse: set sequence for "print_templates" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "print_templates";
-- reverse: create "print_templates" table
DROP TABLE `print_templates`;
-- reverse: create index "document_contact_id_created_at" to table: "documents"
DROP INDEX `document_contact_id_created_at`;
-- reverse: create index "document_third_party_id_created_at" to table: "documents"
DROP INDEX `document_third_party_id_created_at`;
-- reverse: set sequence for "new_documents" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "new_documents";
-- reverse: create "new_documents" table
DROP TABLE `new_documents`;
