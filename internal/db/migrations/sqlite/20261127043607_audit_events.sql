-- +goose Up
-- create "audit_events" table
CREATE TABLE `audit_events` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `actor_id` integer NULL, `actor` text NOT NULL, `action` text NOT NULL, `entity` text NOT NULL, `record_id` integer NOT NULL, `changes` json NOT NULL, `organisation_id` integer NOT NULL, CONSTRAINT `audit_events_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION);
-- set sequence for "audit_events" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("audit_events", 68719476736);
-- create index "auditevent_organisation_id_record_id_created_at" to table: "audit_events"
CREATE INDEX `auditevent_organisation_id_record_id_created_at` ON `audit_events` (`organisation_id`, `record_id`, `created_at`);
-- create index "auditevent_organisation_id_created_at" to table: "audit_events"
CREATE INDEX `auditevent_organisation_id_created_at` ON `audit_events` (`organisation_id`, `created_at`);

-- +goose Down
-- reverse: create index "auditevent_organisation_id_created_at" to table: "audit_events"
DROP INDEX `auditevent_organisation_id_created_at`;
-- reverse: create index "auditevent_organisation_id_record_id_created_at" to table: "audit_events"
DROP INDEX `auditevent_organisation_id_record_id_created_at`;
-- reverse: set sequence for "audit_events" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "audit_events";
-- reverse: create "audit_events" table
DROP TABLE `audit_events`;
