// Package pageload loads, for the resolvers of graph/, what entgql's
// field collection does not: a record's links, opportunities and custom
// field definitions, an opportunity's contacts. It loads them for every
// record at the same place in the document at once: the first resolver
// to ask at a path (say contacts.edges.node.thirdParty) finds all the
// objects at that path in the results already resolved above it
// (peers.go) and loads theirs in one batch, primed into a dataloader
// (graph-gophers/dataloader/v7, the request's cache) that the others
// then read with Load. So a document costs the same statements whatever
// the page size and whatever the machine's load: no batch waits for a
// time window that a busy machine closes early. A third party whose
// contacts entgql did not load with it is read again with its peers
// through entgql's field collection (WithContacts), so nested
// connections load page-wide too.
//
// Loaders are made per request (Middleware), so what they hold never
// outlives a request nor crosses organisations.
package pageload

import (
	"context"
	"errors"
	"net/http"
	"sync"

	"carnet/ent"
	"carnet/ent/contact"
	"carnet/ent/customfielddefinition"
	"carnet/ent/linktype"
	"carnet/ent/opportunity"
	"carnet/ent/schema/enum"
	"carnet/ent/thirdparty"
	"carnet/internal/filiation"
	"carnet/internal/links"
	"carnet/internal/viewer"
)

var errNoLoaders = errors.New("pageload: no loaders in context (missing pageload.Middleware)")

// Loaders are the loaders of one request.
type Loaders struct {
	client          *ent.Client
	kinds           *field[enum.ThirdPartyKind]
	managementLinks *field[[]*ent.ManagementLink]
	filiationLinks  *field[[]*ent.FiliationLink]
	opportunities   *field[[]*ent.Opportunity]
	contacts        *field[*ent.ThirdParty]
	involved        *field[[]*ent.Contact]

	defsOnce sync.Once
	defs     map[defKey][]*ent.CustomFieldDefinition
	defsErr  error
}

// defKey names a set of custom field definitions: whose records (third
// parties or contacts) of which kind.
type defKey struct {
	entity customfielddefinition.Entity
	kind   enum.ThirdPartyKind
}

type ctxKey struct{}

// New returns fresh loaders reading through client.
func New(client *ent.Client) *Loaders {
	l := &Loaders{client: client}
	l.kinds = newField(l, "third_party_kinds", kindsOf)
	l.managementLinks = newField(l, "management_links", byThirdParty(links.ForThirdParties, managementEnds))
	l.filiationLinks = newField(l, "filiation_links", byThirdParty(filiation.ForThirdParties, filiationEnds))
	l.opportunities = newField(l, "opportunities", byThirdParty(opportunitiesOf, opportunityEnds))
	l.contacts = newField(l, "third_parties_with_contacts", withCollectedFields)
	l.involved = newField(l, "opportunity_contacts", contactsOfOpportunities)
	return l
}

// Middleware puts fresh loaders in each request's context.
func Middleware(client *ent.Client, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), ctxKey{}, New(client))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func from(ctx context.Context) (*Loaders, error) {
	l, ok := ctx.Value(ctxKey{}).(*Loaders)
	if !ok {
		return nil, errNoLoaders
	}
	return l, nil
}

// clientOf prefers the transaction of a mutation over the shared client.
func (l *Loaders) clientOf(ctx context.Context) *ent.Client {
	if c := ent.FromContext(ctx); c != nil {
		return c
	}
	return l.client
}

// thirdPartyID keys the loaders of third parties by their records.
func thirdPartyID(o any) (int, bool) {
	tp, ok := o.(*ent.ThirdParty)
	if !ok || tp == nil {
		return 0, false
	}
	return tp.ID, true
}

// withTab keys the third parties whose tab of category the viewer may
// open: the others show no links, so theirs are not loaded.
func withTab(ctx context.Context, category linktype.Category) func(any) (int, bool) {
	return func(o any) (int, bool) {
		tp, ok := o.(*ent.ThirdParty)
		if !ok || tp == nil || !tabOpens(ctx, category, tp) {
			return 0, false
		}
		return tp.ID, true
	}
}

// contactThirdPartyID keys a contact by its third party.
func contactThirdPartyID(o any) (int, bool) {
	c, ok := o.(*ent.Contact)
	if !ok || c == nil {
		return 0, false
	}
	return c.ThirdPartyID, true
}

// ManagementLinks returns the management links tab of third party tp:
// every link the viewer sees on it when they may open that tab of its kind
// (links.MayOpenTab), none otherwise; loaded with those of every third
// party at the same place in the document.
func ManagementLinks(ctx context.Context, tp *ent.ThirdParty) ([]*ent.ManagementLink, error) {
	l, err := from(ctx)
	if err != nil || !tabOpens(ctx, linktype.CategoryMANAGEMENT, tp) {
		return nil, err
	}
	return l.managementLinks.get(ctx, l, tp.ID, withTab(ctx, linktype.CategoryMANAGEMENT))
}

// FiliationLinks returns the filiation links tab of third party tp,
// loaded and ruled like ManagementLinks.
func FiliationLinks(ctx context.Context, tp *ent.ThirdParty) ([]*ent.FiliationLink, error) {
	l, err := from(ctx)
	if err != nil || !tabOpens(ctx, linktype.CategoryFILIATION, tp) {
		return nil, err
	}
	return l.filiationLinks.get(ctx, l, tp.ID, withTab(ctx, linktype.CategoryFILIATION))
}

// Opportunities returns the opportunities of third party tp, by expected
// signing date, loaded like ManagementLinks.
func Opportunities(ctx context.Context, tp *ent.ThirdParty) ([]*ent.Opportunity, error) {
	l, err := from(ctx)
	if err != nil {
		return nil, err
	}
	return l.opportunities.get(ctx, l, tp.ID, thirdPartyID)
}

// OpportunityContacts returns the contacts involved in opportunity o, by
// last name, loaded with those of every opportunity at the same place in
// the document.
func OpportunityContacts(ctx context.Context, o *ent.Opportunity) ([]*ent.Contact, error) {
	l, err := from(ctx)
	if err != nil {
		return nil, err
	}
	return l.involved.get(ctx, l, o.ID, opportunityID)
}

// opportunityID keys the loaders of opportunities by their records.
func opportunityID(o any) (int, bool) {
	op, ok := o.(*ent.Opportunity)
	if !ok || op == nil {
		return 0, false
	}
	return op.ID, true
}

// contactsOfOpportunities loads the contacts involved in opportunities
// ids, by last name (ent's eager loading: the opportunities, then their
// contacts through the join table).
func contactsOfOpportunities(ctx context.Context, client *ent.Client, ids []int) (map[int][]*ent.Contact, error) {
	opps, err := client.Opportunity.Query().Where(opportunity.IDIn(ids...)).Select(opportunity.FieldID).
		WithContacts(func(q *ent.ContactQuery) {
			q.Order(ent.Asc(contact.FieldLastName), ent.Asc(contact.FieldID))
		}).All(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[int][]*ent.Contact, len(opps))
	for _, o := range opps {
		byID[o.ID] = o.Edges.Contacts
	}
	return byID, nil
}

func tabOpens(ctx context.Context, category linktype.Category, tp *ent.ThirdParty) bool {
	return links.MayOpenTab(viewer.FromContext(ctx), category, tp.Kind)
}

// CustomFieldDefinitions returns the custom field definitions of the
// third parties of kind. The organisation's definitions are read once per
// request, by the first record that asks.
func CustomFieldDefinitions(ctx context.Context, kind enum.ThirdPartyKind) ([]*ent.CustomFieldDefinition, error) {
	l, err := from(ctx)
	if err != nil {
		return nil, err
	}
	return l.definitions(ctx, defKey{customfielddefinition.EntityTHIRD_PARTY, kind})
}

// ContactCustomFieldDefinitions returns the custom field definitions of
// contact c (those of the contacts of its third party's kind); the kinds
// of the third parties of every contact at the same place in the document
// are read together.
func ContactCustomFieldDefinitions(ctx context.Context, c *ent.Contact) ([]*ent.CustomFieldDefinition, error) {
	l, err := from(ctx)
	if err != nil {
		return nil, err
	}
	kind, err := l.kinds.get(ctx, l, c.ThirdPartyID, contactThirdPartyID)
	if err != nil {
		return nil, err
	}
	return l.definitions(ctx, defKey{customfielddefinition.EntityCONTACT, kind})
}

func (l *Loaders) definitions(ctx context.Context, k defKey) ([]*ent.CustomFieldDefinition, error) {
	l.defsOnce.Do(func() {
		defs, err := l.clientOf(ctx).CustomFieldDefinition.Query().
			Order(ent.Asc(customfielddefinition.FieldID)).All(ctx)
		l.defs, l.defsErr = map[defKey][]*ent.CustomFieldDefinition{}, err
		for _, d := range defs {
			k := defKey{d.Entity, d.Target}
			l.defs[k] = append(l.defs[k], d)
		}
	})
	return l.defs[k], l.defsErr
}

// loadedList returns the list a field these loaders serve holds for o,
// an object at path, once it is loaded: the way down to the objects
// below it (a link's linked third party, say).
func (l *Loaders) loadedList(ctx context.Context, o any, path, name string) ([]any, bool) {
	if op, ok := o.(*ent.Opportunity); ok && name == "contacts" {
		all, _ := l.involved.loaded(ctx, path, op.ID)
		return anys(all), true
	}
	tp, ok := o.(*ent.ThirdParty)
	if !ok {
		return nil, false
	}
	switch name {
	case "managementLinks", "billToParties", "deliverySites":
		if !tabOpens(ctx, linktype.CategoryMANAGEMENT, tp) {
			return nil, true
		}
		all, _ := l.managementLinks.loaded(ctx, path, tp.ID)
		if name != "managementLinks" {
			return anys(links.Parties(all, tp.ID, name == "deliverySites")), true
		}
		return anys(all), true
	case "filiationLinks":
		if !tabOpens(ctx, linktype.CategoryFILIATION, tp) {
			return nil, true
		}
		all, _ := l.filiationLinks.loaded(ctx, path, tp.ID)
		return anys(all), true
	case "opportunities":
		all, _ := l.opportunities.loaded(ctx, path, tp.ID)
		return anys(all), true
	}
	return nil, false
}

func anys[T any](list []T) []any {
	if len(list) == 0 {
		return nil
	}
	return []any{list}
}

// kindsOf reads the kinds of third parties ids.
func kindsOf(ctx context.Context, client *ent.Client, ids []int) (map[int]enum.ThirdPartyKind, error) {
	rows, err := client.ThirdParty.Query().Where(thirdparty.IDIn(ids...)).
		Select(thirdparty.FieldID, thirdparty.FieldKind).All(ctx)
	if err != nil {
		return nil, err
	}
	kinds := make(map[int]enum.ThirdPartyKind, len(rows))
	for _, r := range rows {
		kinds[r.ID] = r.Kind
	}
	return kinds, nil
}

func managementEnds(l *ent.ManagementLink) (int, int) { return l.ThirdPartyID, l.LinkedThirdPartyID }
func filiationEnds(l *ent.FiliationLink) (int, int)   { return l.ThirdPartyID, l.LinkedThirdPartyID }
func opportunityEnds(o *ent.Opportunity) (int, int)   { return o.ThirdPartyID, o.ThirdPartyID }

// byThirdParty loads what hangs on many third parties (links,
// opportunities) in one go and gives each third party the rows it is an
// end of (none: an empty list). The other end of a link gets nothing
// here: its list would miss its links to records not asked for.
func byThirdParty[L any](load func(context.Context, *ent.Client, []int) ([]L, error), ends func(L) (int, int)) func(context.Context, *ent.Client, []int) (map[int][]L, error) {
	return func(ctx context.Context, client *ent.Client, ids []int) (map[int][]L, error) {
		all, err := load(ctx, client, ids)
		if err != nil {
			return nil, err
		}
		byID := make(map[int][]L, len(ids))
		for _, id := range ids {
			byID[id] = nil
		}
		for _, l := range all {
			a, b := ends(l)
			if _, asked := byID[a]; asked {
				byID[a] = append(byID[a], l)
			}
			if _, asked := byID[b]; asked && b != a {
				byID[b] = append(byID[b], l)
			}
		}
		return byID, nil
	}
}

// opportunitiesOf loads the opportunities of third parties ids, by
// expected signing date.
func opportunitiesOf(ctx context.Context, client *ent.Client, ids []int) ([]*ent.Opportunity, error) {
	return client.Opportunity.Query().Where(opportunity.ThirdPartyIDIn(ids...)).
		Order(ent.Asc(opportunity.FieldExpectedSigningDate), ent.Asc(opportunity.FieldID)).All(ctx)
}
