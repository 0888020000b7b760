-- +goose Up
-- modify "organisations" table
ALTER TABLE "organisations" ADD COLUMN "retention_months" bigint NOT NULL DEFAULT 36;

-- +goose Down
-- reverse: modify "organisations" table
ALTER TABLE "organisations" DROP COLUMN "retention_months";
