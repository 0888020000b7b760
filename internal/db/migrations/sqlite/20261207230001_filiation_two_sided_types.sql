-- +goose Up
-- Hand-written (migrategen -rehash): a filiation link gets a type on each
-- side. A one-type link's type said where the linked third party stands:
-- it becomes the linked side's type (linked_type_id), and the record's side
-- (type_id) gets its counterpart: the same type when it has no direction or
-- is TRANSVERSE; for UP or DOWN, the FILIATION type of the inverse direction
-- of the same company, else of the shared company, else of any company of
-- the organisation, the smallest ID first. When the organisation has none,
-- one is created per company and direction needed: code <CODE>_INV, label
-- "<label> (inverse)", from the smallest-ID type in use. relation spells the
-- link the same whichever way round (filiation.Relation); a link that the
-- old model stored twice (A→B SOC_MERE and B→A FILIALE) is one relation:
-- the row with the larger ID goes. The next migration makes both columns
-- NOT NULL and indexes relation uniquely.
ALTER TABLE `filiation_links` ADD COLUMN `linked_type_id` integer NULL;
ALTER TABLE `filiation_links` ADD COLUMN `relation` text NULL;
DROP INDEX `filiationlink_third_party_id_linked_third_party_id_type_id`;

INSERT INTO link_types (created_at, updated_at, code, label, category, direction, organisation_id, company_id)
SELECT t.created_at, t.updated_at,
       CASE WHEN EXISTS (SELECT 1 FROM link_types c WHERE c.organisation_id = t.organisation_id
                         AND c.company_id = t.company_id AND c.code = substr(t.code, 1, 26) || '_INV')
            THEN substr(t.code, 1, 14) || '_INV_' || t.id
            ELSE substr(t.code, 1, 26) || '_INV' END,
       substr(t.label, 1, 80) || ' (inverse)', 'FILIATION',
       CASE t.direction WHEN 'UP' THEN 'DOWN' ELSE 'UP' END,
       t.organisation_id, t.company_id
FROM link_types t
WHERE t.category = 'FILIATION' AND t.direction IN ('UP', 'DOWN')
  AND NOT EXISTS (SELECT 1 FROM link_types c WHERE c.organisation_id = t.organisation_id AND c.category = 'FILIATION'
                  AND c.direction = CASE t.direction WHEN 'UP' THEN 'DOWN' ELSE 'UP' END)
  AND t.id = (SELECT min(u.id) FROM link_types u WHERE u.company_id = t.company_id AND u.category = 'FILIATION'
              AND u.direction = t.direction AND EXISTS (SELECT 1 FROM filiation_links l WHERE l.type_id = u.id));

UPDATE filiation_links SET linked_type_id = type_id;
UPDATE filiation_links SET type_id = COALESCE((
  SELECT c.id FROM link_types t
  JOIN link_types c ON c.organisation_id = t.organisation_id AND c.category = 'FILIATION'
                   AND c.direction = CASE t.direction WHEN 'UP' THEN 'DOWN' ELSE 'UP' END
  JOIN companies co ON co.id = c.company_id
  WHERE t.id = filiation_links.linked_type_id AND t.direction IN ('UP', 'DOWN')
  ORDER BY CASE WHEN c.company_id = t.company_id THEN 0 WHEN co.shared THEN 1 ELSE 2 END, c.id
  LIMIT 1), linked_type_id);
UPDATE filiation_links SET relation = CASE WHEN third_party_id < linked_third_party_id
  THEN third_party_id || ':' || linked_third_party_id || ':' || type_id || ':' || linked_type_id
  ELSE linked_third_party_id || ':' || third_party_id || ':' || linked_type_id || ':' || type_id END;
DELETE FROM filiation_links WHERE EXISTS (SELECT 1 FROM filiation_links d
  WHERE d.relation = filiation_links.relation AND d.id < filiation_links.id);

-- +goose Down
UPDATE filiation_links SET type_id = linked_type_id;
ALTER TABLE `filiation_links` DROP COLUMN `relation`;
ALTER TABLE `filiation_links` DROP COLUMN `linked_type_id`;
CREATE UNIQUE INDEX `filiationlink_third_party_id_linked_third_party_id_type_id` ON `filiation_links` (`third_party_id`, `linked_third_party_id`, `type_id`);
