-- +goose Up
-- Written by hand rather than generated: the generated form rebuilds
-- "organisations" (create, copy, drop, rename), and inside goose's
-- transaction "PRAGMA foreign_keys = off" does nothing, so dropping a
-- table every other one references fails on any database with data.
-- ADD COLUMN gives the same table (the column last, its default 'fr').
ALTER TABLE `organisations` ADD COLUMN `language` text NOT NULL DEFAULT ('fr');

-- +goose Down
ALTER TABLE `organisations` DROP COLUMN `language`;
