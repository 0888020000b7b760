-- +goose Up
-- create "exports" table
CREATE TABLE `exports` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `format` text NOT NULL, `status` text NOT NULL DEFAULT ('PENDING'), `root_id` integer NULL, `row_count` integer NOT NULL DEFAULT (0), `node_count` integer NULL, `error` text NULL, `storage_key` text NULL, `filename` text NULL, `size` integer NULL, `finished_at` datetime NULL, `organisation_id` integer NOT NULL, `author_id` integer NOT NULL, CONSTRAINT `exports_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION, CONSTRAINT `exports_users_author` FOREIGN KEY (`author_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- set sequence for "exports" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("exports", 73014444032);
-- create index "export_organisation_id_status_created_at" to table: "exports"
CREATE INDEX `export_organisation_id_status_created_at` ON `exports` (`organisation_id`, `status`, `created_at`);
-- create index "export_created_at" to table: "exports"
CREATE INDEX `export_created_at` ON `exports` (`created_at`);

-- +goose Down
-- reverse: create index "export_created_at" to table: "exports"
DROP INDEX `export_created_at`;
-- reverse: create index "export_organisation_id_status_created_at" to table: "exports"
DROP INDEX `export_organisation_id_status_created_at`;
-- reverse: set sequence for "exports" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "exports";
-- reverse: create "exports" table
DROP TABLE `exports`;
