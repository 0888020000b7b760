-- +goose Up
-- Hand-written (migrategen -rehash): every activity concerns a third
-- party. One logged on a contact or an opportunity gets theirs; one that
-- concerns nothing at all (its record gone) cannot show on any record and
-- is deleted (the audit trail keeps its history). listed_at, the order of
-- the lists, is the date or the creation time.
UPDATE `activities` SET `third_party_id` = (SELECT c.`third_party_id` FROM `contacts` c WHERE c.`id` = `activities`.`contact_id`)
WHERE `third_party_id` IS NULL AND `contact_id` IS NOT NULL;
UPDATE `activities` SET `third_party_id` = (SELECT o.`third_party_id` FROM `opportunities` o WHERE o.`id` = `activities`.`opportunity_id`)
WHERE `third_party_id` IS NULL AND `opportunity_id` IS NOT NULL;
DELETE FROM `activities` WHERE `third_party_id` IS NULL;
ALTER TABLE `activities` ADD COLUMN `listed_at` datetime NULL;
UPDATE `activities` SET `listed_at` = COALESCE(`date`, `created_at`);

-- +goose Down
ALTER TABLE `activities` DROP COLUMN `listed_at`;
