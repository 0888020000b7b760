-- +goose Up
-- Written by hand rather than generated: the generated form rebuilds
-- "third_parties" and "organisations" (create, copy, drop, rename), which
-- fails on a database with data (see 20261207225000_organisation_language).
-- The duplicate look-ups (internal/duplicates): the name key columns,
-- filled by duplicates.NameKeyHook (existing rows by the backfill that
-- follows), the policy, and one index per looked-up key.
ALTER TABLE `organisations` ADD COLUMN `duplicate_policy` text NOT NULL DEFAULT ('WARN');
ALTER TABLE `third_parties` ADD COLUMN `name_key` text NOT NULL DEFAULT ('');
ALTER TABLE `third_parties` ADD COLUMN `name_key_reversed` text NOT NULL DEFAULT ('');
CREATE INDEX `contact_organisation_id_email` ON `contacts` (`organisation_id`, `email`);
CREATE INDEX `contact_organisation_id_mobile` ON `contacts` (`organisation_id`, `mobile`);
CREATE INDEX `contact_organisation_id_direct_line` ON `contacts` (`organisation_id`, `direct_line`);
CREATE INDEX `thirdparty_organisation_id_siret` ON `third_parties` (`organisation_id`, `siret`);
CREATE INDEX `thirdparty_organisation_id_vat_number` ON `third_parties` (`organisation_id`, `vat_number`);
CREATE INDEX `thirdparty_organisation_id_email` ON `third_parties` (`organisation_id`, `email`);
CREATE INDEX `thirdparty_organisation_id_phone` ON `third_parties` (`organisation_id`, `phone`);
CREATE INDEX `thirdparty_organisation_id_name_key_postal_code` ON `third_parties` (`organisation_id`, `name_key`, `postal_code`);
CREATE INDEX `thirdparty_organisation_id_name_key_reversed` ON `third_parties` (`organisation_id`, `name_key_reversed`);

-- +goose Down
DROP INDEX `thirdparty_organisation_id_name_key_reversed`;
DROP INDEX `thirdparty_organisation_id_name_key_postal_code`;
DROP INDEX `thirdparty_organisation_id_phone`;
DROP INDEX `thirdparty_organisation_id_email`;
DROP INDEX `thirdparty_organisation_id_vat_number`;
DROP INDEX `thirdparty_organisation_id_siret`;
DROP INDEX `contact_organisation_id_direct_line`;
DROP INDEX `contact_organisation_id_mobile`;
DROP INDEX `contact_organisation_id_email`;
ALTER TABLE `third_parties` DROP COLUMN `name_key_reversed`;
ALTER TABLE `third_parties` DROP COLUMN `name_key`;
ALTER TABLE `organisations` DROP COLUMN `duplicate_policy`;
