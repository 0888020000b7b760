-- +goose Up
-- create "merged_records" table
CREATE TABLE `merged_records` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `old_id` integer NOT NULL, `kept_id` integer NOT NULL, `entity` text NOT NULL, `merged_at` datetime NOT NULL, `organisation_id` integer NOT NULL, CONSTRAINT `merged_records_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION);
-- set sequence for "merged_records" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("merged_records", 77309411328);
-- create index "mergedrecord_old_id" to table: "merged_records"
CREATE UNIQUE INDEX `mergedrecord_old_id` ON `merged_records` (`old_id`);
-- create index "mergedrecord_kept_id" to table: "merged_records"
CREATE INDEX `mergedrecord_kept_id` ON `merged_records` (`kept_id`);
-- create index "mergedrecord_organisation_id_merged_at" to table: "merged_records"
CREATE INDEX `mergedrecord_organisation_id_merged_at` ON `merged_records` (`organisation_id`, `merged_at`);

-- +goose Down
-- reverse: create index "mergedrecord_organisation_id_merged_at" to table: "merged_records"
DROP INDEX `mergedrecord_organisation_id_merged_at`;
-- reverse: create index "mergedrecord_kept_id" to table: "merged_records"
DROP INDEX `mergedrecord_kept_id`;
-- reverse: create index "mergedrecord_old_id" to table: "merged_records"
DROP INDEX `mergedrecord_old_id`;
-- reverse: set sequence for "merged_records" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "merged_records";
-- reverse: create "merged_records" table
DROP TABLE `merged_records`;
