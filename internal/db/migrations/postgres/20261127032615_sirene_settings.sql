-- +goose Up
-- modify "organisations" table
ALTER TABLE "organisations" ALTER COLUMN "sirene_enabled" DROP NOT NULL, ALTER COLUMN "sirene_enabled" DROP DEFAULT;

-- +goose Down
-- reverse: modify "organisations" table
ALTER TABLE "organisations" ALTER COLUMN "sirene_enabled" SET NOT NULL, ALTER COLUMN "sirene_enabled" SET DEFAULT false;
