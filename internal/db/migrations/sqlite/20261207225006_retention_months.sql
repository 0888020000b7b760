-- +goose Up
-- Written by hand rather than generated: the generated form rebuilds
-- "organisations", which every other table references (see
-- 20261207225000_organisation_language.sql). ADD COLUMN gives the same
-- table (the column last, its default 36).
ALTER TABLE `organisations` ADD COLUMN `retention_months` integer NOT NULL DEFAULT (36);

-- +goose Down
ALTER TABLE `organisations` DROP COLUMN `retention_months`;
