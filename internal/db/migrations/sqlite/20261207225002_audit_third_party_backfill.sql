-- +goose Up
-- The audit trail's closed-client rule reads each event's third parties:
-- fill them for the events written before, from the records that still
-- exist (those of deleted records stay NULL, readable as after a
-- deletion).
UPDATE audit_events SET third_party_id = record_id WHERE entity = 'ThirdParty';
UPDATE audit_events SET third_party_id = (SELECT c.third_party_id FROM contacts c WHERE c.id = audit_events.record_id) WHERE entity = 'Contact';
UPDATE audit_events SET third_party_id = (SELECT o.third_party_id FROM opportunities o WHERE o.id = audit_events.record_id) WHERE entity = 'Opportunity';
UPDATE audit_events SET
  third_party_id = (SELECT l.third_party_id FROM management_links l WHERE l.id = audit_events.record_id),
  linked_third_party_id = (SELECT l.linked_third_party_id FROM management_links l WHERE l.id = audit_events.record_id)
  WHERE entity = 'ManagementLink';
UPDATE audit_events SET
  third_party_id = (SELECT l.third_party_id FROM filiation_links l WHERE l.id = audit_events.record_id),
  linked_third_party_id = (SELECT l.linked_third_party_id FROM filiation_links l WHERE l.id = audit_events.record_id)
  WHERE entity = 'FiliationLink';
UPDATE audit_events SET third_party_id = (
  SELECT COALESCE(d.third_party_id, c.third_party_id) FROM documents d LEFT JOIN contacts c ON c.id = d.contact_id
  WHERE d.id = audit_events.record_id) WHERE entity = 'Document';
UPDATE audit_events SET third_party_id = (
  SELECT COALESCE(a.third_party_id, c.third_party_id, o.third_party_id) FROM activities a
  LEFT JOIN contacts c ON c.id = a.contact_id LEFT JOIN opportunities o ON o.id = a.opportunity_id
  WHERE a.id = audit_events.record_id) WHERE entity = 'Activity';

-- +goose Down
UPDATE audit_events SET third_party_id = NULL, linked_third_party_id = NULL;
