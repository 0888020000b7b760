-- +goose Up
-- One default management link per record, whichever side the record is
-- on (before: one per ordering party, so a bill-to party could hold
-- several). Before the per-record unique indexes are built, every record
-- holding more than one default keeps the most recent (latest updated_at,
-- then highest ID) and the others are unset; evaluated on the data as it
-- was, so a link is unset when either of its records holds a more recent
-- default. Delivery-site links were never the default.
UPDATE management_links SET is_default = false
WHERE is_default AND EXISTS (
  SELECT 1 FROM management_links o
  WHERE o.is_default AND o.id <> management_links.id
    AND (o.third_party_id IN (management_links.third_party_id, management_links.linked_third_party_id)
      OR o.linked_third_party_id IN (management_links.third_party_id, management_links.linked_third_party_id))
    AND (o.updated_at > management_links.updated_at
      OR (o.updated_at = management_links.updated_at AND o.id > management_links.id))
);

-- +goose Down
-- The unset defaults are not restored: which links were the default
-- before is not kept.
