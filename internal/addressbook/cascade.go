package addressbook

import (
	"context"
	"fmt"

	"carnet/ent"
	"carnet/ent/activity"
	"carnet/ent/contact"
	"carnet/ent/document"
	"carnet/ent/filiationlink"
	"carnet/ent/managementlink"
	"carnet/ent/opportunity"
	"carnet/ent/thirdparty"
	"carnet/internal/auth"
	"carnet/internal/db/rowlock"
	"carnet/internal/links"
	"carnet/internal/opportunities"
)

// Cascades run as the system: the deletion itself was allowed, and what
// hangs on the record goes with it whoever may read it (links, documents,
// other users' activities). Everything hangs on records of the viewer's
// organisation, so the tenant holds.

// purgeThirdParty deletes what hangs on third party id, contacts included.
func purgeThirdParty(ctx context.Context, client *ent.Client, id int) error {
	sys := auth.System(ctx)
	// The organisation's link lock before the record's row: link changes
	// take them in that order (links.Lock, then the sides' rows), so two
	// of them never wait for each other.
	if err := links.Lock(ctx, client); err != nil {
		return err
	}
	if _, err := client.ThirdParty.Query().Where(thirdparty.ID(id)).Unique(false).Modify(rowlock.ForUpdate).IDs(sys); err != nil {
		return fmt.Errorf("addressbook: lock third party %d: %w", id, err)
	}
	if _, err := client.ManagementLink.Delete().
		Where(managementlink.Or(managementlink.ThirdPartyID(id), managementlink.LinkedThirdPartyID(id))).Exec(sys); err != nil {
		return fmt.Errorf("addressbook: delete management links of %d: %w", id, err)
	}
	if _, err := client.FiliationLink.Delete().
		Where(filiationlink.Or(filiationlink.ThirdPartyID(id), filiationlink.LinkedThirdPartyID(id))).Exec(sys); err != nil {
		return fmt.Errorf("addressbook: delete filiation links of %d: %w", id, err)
	}
	if err := opportunities.DeleteFor(ctx, client, opportunity.ThirdPartyID(id)); err != nil {
		return err
	}
	contacts, err := client.Contact.Query().Where(contact.ThirdPartyID(id)).Unique(false).Modify(rowlock.ForUpdate).IDs(sys)
	if err != nil {
		return fmt.Errorf("addressbook: contacts of %d: %w", id, err)
	}
	if err := purgeContacts(ctx, client, contacts...); err != nil {
		return err
	}
	if _, err := client.Activity.Delete().Where(activity.ThirdPartyID(id)).Exec(sys); err != nil {
		return fmt.Errorf("addressbook: delete activities of %d: %w", id, err)
	}
	if _, err := client.Document.Delete().Where(document.ThirdPartyID(id)).Exec(sys); err != nil {
		return fmt.Errorf("addressbook: delete documents of %d: %w", id, err)
	}
	if _, err := client.Contact.Delete().Where(contact.IDIn(contacts...)).Exec(sys); err != nil {
		return fmt.Errorf("addressbook: delete contacts of %d: %w", id, err)
	}
	return nil
}

// purgeContacts deletes the activities and documents of contacts ids.
func purgeContacts(ctx context.Context, client *ent.Client, ids ...int) error {
	if len(ids) == 0 {
		return nil
	}
	sys := auth.System(ctx)
	if _, err := client.Contact.Query().Where(contact.IDIn(ids...)).Unique(false).Modify(rowlock.ForUpdate).IDs(sys); err != nil {
		return fmt.Errorf("addressbook: lock contacts: %w", err)
	}
	if _, err := client.Activity.Delete().Where(activity.ContactIDIn(ids...)).Exec(sys); err != nil {
		return fmt.Errorf("addressbook: delete activities of contacts: %w", err)
	}
	if _, err := client.Document.Delete().Where(document.ContactIDIn(ids...)).Exec(sys); err != nil {
		return fmt.Errorf("addressbook: delete documents of contacts: %w", err)
	}
	return nil
}
