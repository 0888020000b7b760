-- +goose Up
-- add column "third_party_id" to table: "audit_events"
ALTER TABLE `audit_events` ADD COLUMN `third_party_id` integer NULL;
-- add column "linked_third_party_id" to table: "audit_events"
ALTER TABLE `audit_events` ADD COLUMN `linked_third_party_id` integer NULL;

-- +goose Down
-- reverse: add column "linked_third_party_id" to table: "audit_events"
ALTER TABLE `audit_events` DROP COLUMN `linked_third_party_id`;
-- reverse: add column "third_party_id" to table: "audit_events"
ALTER TABLE `audit_events` DROP COLUMN `third_party_id`;
