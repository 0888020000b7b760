-- +goose Up
-- drop index "contact_organisation_id_last_name" from table: "contacts"
DROP INDEX `contact_organisation_id_last_name`;
-- create index "contact_organisation_id_last_name_id" to table: "contacts"
CREATE INDEX `contact_organisation_id_last_name_id` ON `contacts` (`organisation_id`, `last_name`, `id`);
-- create index "contact_organisation_id_first_name_id" to table: "contacts"
CREATE INDEX `contact_organisation_id_first_name_id` ON `contacts` (`organisation_id`, `first_name`, `id`);
-- create index "contact_organisation_id_updated_at_id" to table: "contacts"
CREATE INDEX `contact_organisation_id_updated_at_id` ON `contacts` (`organisation_id`, `updated_at`, `id`);
-- create index "contact_organisation_id_created_at_id" to table: "contacts"
CREATE INDEX `contact_organisation_id_created_at_id` ON `contacts` (`organisation_id`, `created_at`, `id`);
-- drop index "thirdparty_organisation_id_name" from table: "third_parties"
DROP INDEX `thirdparty_organisation_id_name`;
-- drop index "thirdparty_organisation_id_updated_at" from table: "third_parties"
DROP INDEX `thirdparty_organisation_id_updated_at`;
-- create index "thirdparty_organisation_id_code_id" to table: "third_parties"
CREATE INDEX `thirdparty_organisation_id_code_id` ON `third_parties` (`organisation_id`, `code`, `id`);
-- create index "thirdparty_organisation_id_name_id" to table: "third_parties"
CREATE INDEX `thirdparty_organisation_id_name_id` ON `third_parties` (`organisation_id`, `name`, `id`);
-- create index "thirdparty_organisation_id_updated_at_id" to table: "third_parties"
CREATE INDEX `thirdparty_organisation_id_updated_at_id` ON `third_parties` (`organisation_id`, `updated_at`, `id`);
-- create index "thirdparty_organisation_id_created_at_id" to table: "third_parties"
CREATE INDEX `thirdparty_organisation_id_created_at_id` ON `third_parties` (`organisation_id`, `created_at`, `id`);
-- drop index "activity_third_party_id_created_at" from table: "activities"
DROP INDEX `activity_third_party_id_created_at`;
-- drop index "activity_contact_id_created_at" from table: "activities"
DROP INDEX `activity_contact_id_created_at`;
-- drop index "activity_opportunity_id_created_at" from table: "activities"
DROP INDEX `activity_opportunity_id_created_at`;
-- create index "activity_third_party_id_created_at_id" to table: "activities"
CREATE INDEX `activity_third_party_id_created_at_id` ON `activities` (`third_party_id`, `created_at`, `id`);
-- create index "activity_contact_id_created_at_id" to table: "activities"
CREATE INDEX `activity_contact_id_created_at_id` ON `activities` (`contact_id`, `created_at`, `id`);
-- create index "activity_opportunity_id_created_at_id" to table: "activities"
CREATE INDEX `activity_opportunity_id_created_at_id` ON `activities` (`opportunity_id`, `created_at`, `id`);
-- drop index "opportunity_organisation_id_expected_signing_date" from table: "opportunities"
DROP INDEX `opportunity_organisation_id_expected_signing_date`;
-- create index "opportunity_organisation_id_expected_signing_date_id" to table: "opportunities"
CREATE INDEX `opportunity_organisation_id_expected_signing_date_id` ON `opportunities` (`organisation_id`, `expected_signing_date`, `id`);
-- create index "opportunity_organisation_id_name_id" to table: "opportunities"
CREATE INDEX `opportunity_organisation_id_name_id` ON `opportunities` (`organisation_id`, `name`, `id`);
-- create index "opportunity_organisation_id_amount_id" to table: "opportunities"
CREATE INDEX `opportunity_organisation_id_amount_id` ON `opportunities` (`organisation_id`, `amount`, `id`);
-- create index "opportunity_organisation_id_updated_at_id" to table: "opportunities"
CREATE INDEX `opportunity_organisation_id_updated_at_id` ON `opportunities` (`organisation_id`, `updated_at`, `id`);
-- create index "opportunity_organisation_id_created_at_id" to table: "opportunities"
CREATE INDEX `opportunity_organisation_id_created_at_id` ON `opportunities` (`organisation_id`, `created_at`, `id`);
-- drop index "document_third_party_id_created_at" from table: "documents"
DROP INDEX `document_third_party_id_created_at`;
-- drop index "document_contact_id_created_at" from table: "documents"
DROP INDEX `document_contact_id_created_at`;
-- create index "document_third_party_id_created_at_id" to table: "documents"
CREATE INDEX `document_third_party_id_created_at_id` ON `documents` (`third_party_id`, `created_at`, `id`);
-- create index "document_contact_id_created_at_id" to table: "documents"
CREATE INDEX `document_contact_id_created_at_id` ON `documents` (`contact_id`, `created_at`, `id`);
-- drop index "auditevent_organisation_id_record_id_created_at" from table: "audit_events"
DROP INDEX `auditevent_organisation_id_record_id_created_at`;
-- drop index "auditevent_organisation_id_created_at" from table: "audit_events"
DROP INDEX `auditevent_organisation_id_created_at`;
-- create index "auditevent_organisation_id_record_id_created_at_id" to table: "audit_events"
CREATE INDEX `auditevent_organisation_id_record_id_created_at_id` ON `audit_events` (`organisation_id`, `record_id`, `created_at`, `id`);
-- create index "auditevent_organisation_id_created_at_id" to table: "audit_events"
CREATE INDEX `auditevent_organisation_id_created_at_id` ON `audit_events` (`organisation_id`, `created_at`, `id`);

-- +goose Down
-- reverse: create index "auditevent_organisation_id_created_at_id" to table: "audit_events"
DROP INDEX `auditevent_organisation_id_created_at_id`;
-- reverse: create index "auditevent_organisation_id_record_id_created_at_id" to table: "audit_events"
DROP INDEX `auditevent_organisation_id_record_id_created_at_id`;
-- reverse: drop index "auditevent_organisation_id_created_at" from table: "audit_events"
CREATE INDEX `auditevent_organisation_id_created_at` ON `audit_events` (`organisation_id`, `created_at`);
-- reverse: drop index "auditevent_organisation_id_record_id_created_at" from table: "audit_events"
CREATE INDEX `auditevent_organisation_id_record_id_created_at` ON `audit_events` (`organisation_id`, `record_id`, `created_at`);
-- reverse: create index "document_contact_id_created_at_id" to table: "documents"
DROP INDEX `document_contact_id_created_at_id`;
-- reverse: create index "document_third_party_id_created_at_id" to table: "documents"
DROP INDEX `document_third_party_id_created_at_id`;
-- reverse: drop index "document_contact_id_created_at" from table: "documents"
CREATE INDEX `document_contact_id_created_at` ON `documents` (`contact_id`, `created_at`);
-- reverse: drop index "document_third_party_id_created_at" from table: "documents"
CREATE INDEX `document_third_party_id_created_at` ON `documents` (`third_party_id`, `created_at`);
-- reverse: create index "opportunity_organisation_id_created_at_id" to table: "opportunities"
DROP INDEX `opportunity_organisation_id_created_at_id`;
-- reverse: create index "opportunity_organisation_id_updated_at_id" to table: "opportunities"
DROP INDEX `opportunity_organisation_id_updated_at_id`;
-- reverse: create index "opportunity_organisation_id_amount_id" to table: "opportunities"
DROP INDEX `opportunity_organisation_id_amount_id`;
-- reverse: create index "opportunity_organisation_id_name_id" to table: "opportunities"
DROP INDEX `opportunity_organisation_id_name_id`;
-- reverse: create index "opportunity_organisation_id_expected_signing_date_id" to table: "opportunities"
DROP INDEX `opportunity_organisation_id_expected_signing_date_id`;
-- reverse: drop index "opportunity_organisation_id_expected_signing_date" from table: "opportunities"
CREATE INDEX `opportunity_organisation_id_expected_signing_date` ON `opportunities` (`organisation_id`, `expected_signing_date`);
-- reverse: create index "activity_opportunity_id_created_at_id" to table: "activities"
DROP INDEX `activity_opportunity_id_created_at_id`;
-- reverse: create index "activity_contact_id_created_at_id" to table: "activities"
DROP INDEX `activity_contact_id_created_at_id`;
-- reverse: create index "activity_third_party_id_created_at_id" to table: "activities"
DROP INDEX `activity_third_party_id_created_at_id`;
-- reverse: drop index "activity_opportunity_id_created_at" from table: "activities"
CREATE INDEX `activity_opportunity_id_created_at` ON `activities` (`opportunity_id`, `created_at`);
-- reverse: drop index "activity_contact_id_created_at" from table: "activities"
CREATE INDEX `activity_contact_id_created_at` ON `activities` (`contact_id`, `created_at`);
-- reverse: drop index "activity_third_party_id_created_at" from table: "activities"
CREATE INDEX `activity_third_party_id_created_at` ON `activities` (`third_party_id`, `created_at`);
-- reverse: create index "thirdparty_organisation_id_created_at_id" to table: "third_parties"
DROP INDEX `thirdparty_organisation_id_created_at_id`;
-- reverse: create index "thirdparty_organisation_id_updated_at_id" to table: "third_parties"
DROP INDEX `thirdparty_organisation_id_updated_at_id`;
-- reverse: create index "thirdparty_organisation_id_name_id" to table: "third_parties"
DROP INDEX `thirdparty_organisation_id_name_id`;
-- reverse: create index "thirdparty_organisation_id_code_id" to table: "third_parties"
DROP INDEX `thirdparty_organisation_id_code_id`;
-- reverse: drop index "thirdparty_organisation_id_updated_at" from table: "third_parties"
CREATE INDEX `thirdparty_organisation_id_updated_at` ON `third_parties` (`organisation_id`, `updated_at`);
-- reverse: drop index "thirdparty_organisation_id_name" from table: "third_parties"
CREATE INDEX `thirdparty_organisation_id_name` ON `third_parties` (`organisation_id`, `name`);
-- reverse: create index "contact_organisation_id_created_at_id" to table: "contacts"
DROP INDEX `contact_organisation_id_created_at_id`;
-- reverse: create index "contact_organisation_id_updated_at_id" to table: "contacts"
DROP INDEX `contact_organisation_id_updated_at_id`;
-- reverse: create index "contact_organisation_id_first_name_id" to table: "contacts"
DROP INDEX `contact_organisation_id_first_name_id`;
-- reverse: create index "contact_organisation_id_last_name_id" to table: "contacts"
DROP INDEX `contact_organisation_id_last_name_id`;
-- reverse: drop index "contact_organisation_id_last_name" from table: "contacts"
CREATE INDEX `contact_organisation_id_last_name` ON `contacts` (`organisation_id`, `last_name`);
