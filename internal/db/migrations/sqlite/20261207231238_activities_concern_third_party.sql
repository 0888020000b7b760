-- +goose Up
-- disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- create "new_activities" table
CREATE TABLE `new_activities` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `type` text NOT NULL, `subject` text NOT NULL, `notes` text NULL, `date` datetime NULL, `due_date` datetime NULL, `done` bool NOT NULL DEFAULT (false), `listed_at` datetime NOT NULL, `organisation_id` integer NOT NULL, `third_party_id` integer NOT NULL, `contact_id` integer NULL, `opportunity_id` integer NULL, `author_id` integer NULL, CONSTRAINT `activities_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION, CONSTRAINT `activities_third_parties_third_party` FOREIGN KEY (`third_party_id`) REFERENCES `third_parties` (`id`) ON DELETE NO ACTION, CONSTRAINT `activities_contacts_contact` FOREIGN KEY (`contact_id`) REFERENCES `contacts` (`id`) ON DELETE SET NULL, CONSTRAINT `activities_opportunities_opportunity` FOREIGN KEY (`opportunity_id`) REFERENCES `opportunities` (`id`) ON DELETE SET NULL, CONSTRAINT `activities_users_author` FOREIGN KEY (`author_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- set sequence for "new_activities" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_activities", 47244640256);
-- copy rows from old table "activities" to new temporary table "new_activities"
INSERT INTO `new_activities` (`id`, `created_at`, `updated_at`, `type`, `subject`, `notes`, `date`, `due_date`, `done`, `listed_at`, `organisation_id`, `third_party_id`, `contact_id`, `opportunity_id`, `author_id`) SELECT `id`, `created_at`, `updated_at`, `type`, `subject`, `notes`, `date`, `due_date`, `done`, `listed_at`, `organisation_id`, `third_party_id`, `contact_id`, `opportunity_id`, `author_id` FROM `activities`;
-- drop "activities" table after copying rows
DROP TABLE `activities`;
-- rename temporary table "new_activities" to "activities"
ALTER TABLE `new_activities` RENAME TO `activities`;
-- create index "activity_third_party_id_listed_at_id" to table: "activities"
CREATE INDEX `activity_third_party_id_listed_at_id` ON `activities` (`third_party_id`, `listed_at`, `id`);
-- create index "activity_contact_id_listed_at_id" to table: "activities"
CREATE INDEX `activity_contact_id_listed_at_id` ON `activities` (`contact_id`, `listed_at`, `id`);
-- create index "activity_opportunity_id_listed_at_id" to table: "activities"
CREATE INDEX `activity_opportunity_id_listed_at_id` ON `activities` (`opportunity_id`, `listed_at`, `id`);
-- enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;

-- +goose Down
-- reverse: create index "activity_opportunity_id_listed_at_id" to table: "activities"
DROP INDEX `activity_opportunity_id_listed_at_id`;
-- reverse: create index "activity_contact_id_listed_at_id" to table: "activities"
DROP INDEX `activity_contact_id_listed_at_id`;
-- reverse: create index "activity_third_party_id_listed_at_id" to table: "activities"
DROP INDEX `activity_third_party_id_listed_at_id`;
-- reverse: set sequence for "new_activities" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "new_activities";
-- reverse: create "new_activities" table
DROP TABLE `new_activities`;
