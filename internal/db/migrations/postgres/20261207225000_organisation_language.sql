-- +goose Up
-- modify "organisations" table
ALTER TABLE "organisations" ADD COLUMN "language" character varying NOT NULL DEFAULT 'fr';

-- +goose Down
-- reverse: modify "organisations" table
ALTER TABLE "organisations" DROP COLUMN "language";
