-- +goose Up
-- modify "audit_events" table
ALTER TABLE "audit_events" ADD COLUMN "third_party_id" bigint NULL, ADD COLUMN "linked_third_party_id" bigint NULL;

-- +goose Down
-- reverse: modify "audit_events" table
ALTER TABLE "audit_events" DROP COLUMN "linked_third_party_id", DROP COLUMN "third_party_id";
