-- +goose Up
-- Every entry gets the record's folded words (terms): the other words of
-- a multi-word search are matched on them.
ALTER TABLE `search_entries` ADD COLUMN `terms` text NOT NULL DEFAULT '';
UPDATE `search_entries` SET `terms` = (
  SELECT group_concat(`term`, '') FROM (
    SELECT CASE WHEN w.`leading` THEN '  ' ELSE ' ' END || w.`word` AS `term`
    FROM `search_entries` AS w WHERE w.`record_id` = `search_entries`.`record_id` ORDER BY w.`id`
  )
);

-- +goose Down
ALTER TABLE `search_entries` DROP COLUMN `terms`;
