-- +goose Up
-- create index "thirdparty_organisation_id_kind_code_id" to table: "third_parties"
CREATE INDEX `thirdparty_organisation_id_kind_code_id` ON `third_parties` (`organisation_id`, `kind`, `code`, `id`);

-- +goose Down
-- reverse: create index "thirdparty_organisation_id_kind_code_id" to table: "third_parties"
DROP INDEX `thirdparty_organisation_id_kind_code_id`;
