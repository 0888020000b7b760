// Package loader holds the per-request dataloaders
// (graph-gophers/dataloader/v7) of what entgql's field collection does
// not load in bulk: a page of 100 records costs the same statements as a
// page of 10. Loaders are made per request (Middleware), so their caches
// never outlive a request nor cross organisations.
package loader

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/graph-gophers/dataloader/v7"

	"carnet/ent"
	"carnet/ent/customfielddefinition"
	"carnet/ent/linktype"
	"carnet/ent/opportunity"
	"carnet/ent/schema/enum"
	"carnet/ent/thirdparty"
	"carnet/internal/filiation"
	"carnet/internal/links"
	"carnet/internal/metrics"
	"carnet/internal/viewer"
)

// Loaders are the dataloaders of one request.
type Loaders struct {
	customFields    *dataloader.Loader[defKey, []*ent.CustomFieldDefinition]
	kinds           *pageLoader[enum.ThirdPartyKind]
	managementLinks *pageLoader[[]*ent.ManagementLink]
	filiationLinks  *pageLoader[[]*ent.FiliationLink]
	opportunities   *pageLoader[[]*ent.Opportunity]
}

// pageLoader is a dataloader that can also load a whole page at once:
// the first resolver of a page loads every sibling in one batch and primes
// the cache, so that the batch does not depend on how quickly the other
// resolvers' goroutines reach the loader (a time window can close early
// on a busy machine and split the batch).
type pageLoader[V any] struct {
	dl    *dataloader.Loader[int, V]
	batch dataloader.BatchFunc[int, V]
	mu    sync.Mutex
	known map[int]bool
}

func newPageLoader[V any](batch dataloader.BatchFunc[int, V]) *pageLoader[V] {
	return &pageLoader[V]{
		dl:    dataloader.NewBatchedLoader(batch, dataloader.WithWait[int, V](wait)),
		batch: batch,
		known: map[int]bool{},
	}
}

// get returns id's value, loading siblings with it when they are given.
func (p *pageLoader[V]) get(ctx context.Context, id int, siblings []int) (V, error) {
	if len(siblings) > 1 {
		p.mu.Lock()
		var missing []int
		for _, s := range siblings {
			if !p.known[s] {
				missing = append(missing, s)
			}
		}
		if len(missing) > 0 {
			for i, r := range p.batch(ctx, missing) {
				if r.Error == nil {
					p.dl.Prime(ctx, missing[i], r.Data)
				}
				p.known[missing[i]] = true
			}
		}
		p.mu.Unlock()
	}
	return p.dl.Load(ctx, id)()
}

type ctxKey struct{}

// wait is how long a loader gathers keys before it queries: gqlgen
// resolves the items of a list concurrently, so they arrive together.
const wait = 2 * time.Millisecond

// New returns fresh loaders reading through client.
func New(client *ent.Client) *Loaders {
	return &Loaders{
		customFields:    dataloader.NewBatchedLoader(customFieldBatch(client), dataloader.WithWait[defKey, []*ent.CustomFieldDefinition](wait)),
		kinds:           newPageLoader(kindBatch(client)),
		managementLinks: newPageLoader(linkBatch(client, links.ForThirdParties, managementEnds)),
		filiationLinks:  newPageLoader(linkBatch(client, filiation.ForThirdParties, filiationEnds)),
		opportunities:   newPageLoader(linkBatch(client, opportunitiesOf, opportunityEnds)),
	}
}

// Middleware puts fresh loaders in each request's context.
func Middleware(client *ent.Client, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), ctxKey{}, New(client))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// clientOf prefers the transaction of a mutation over the shared client.
func clientOf(ctx context.Context, fallback *ent.Client) *ent.Client {
	if c := ent.FromContext(ctx); c != nil {
		return c
	}
	return fallback
}

// defKey names a set of custom field definitions: whose records (third
// parties or contacts) of which kind.
type defKey struct {
	entity customfielddefinition.Entity
	kind   enum.ThirdPartyKind
}

func customFieldBatch(client *ent.Client) dataloader.BatchFunc[defKey, []*ent.CustomFieldDefinition] {
	return func(ctx context.Context, keys []defKey) []*dataloader.Result[[]*ent.CustomFieldDefinition] {
		metrics.Batch("custom_fields", len(keys))
		out := make([]*dataloader.Result[[]*ent.CustomFieldDefinition], len(keys))
		kinds := make([]enum.ThirdPartyKind, len(keys))
		for i, k := range keys {
			kinds[i] = k.kind
		}
		defs, err := clientOf(ctx, client).CustomFieldDefinition.Query().
			Where(customfielddefinition.TargetIn(kinds...)).
			Order(ent.Asc(customfielddefinition.FieldID)).
			All(ctx)
		byKey := map[defKey][]*ent.CustomFieldDefinition{}
		for _, d := range defs {
			k := defKey{d.Entity, d.Target}
			byKey[k] = append(byKey[k], d)
		}
		for i, k := range keys {
			out[i] = &dataloader.Result[[]*ent.CustomFieldDefinition]{Data: byKey[k], Error: err}
		}
		return out
	}
}

// CustomFieldDefinitions returns the custom field definitions of the
// third parties of kind, batched with the other records of the request.
func CustomFieldDefinitions(ctx context.Context, kind enum.ThirdPartyKind) ([]*ent.CustomFieldDefinition, error) {
	l, ok := ctx.Value(ctxKey{}).(*Loaders)
	if !ok {
		return nil, errNoLoaders
	}
	return l.customFields.Load(ctx, defKey{customfielddefinition.EntityTHIRD_PARTY, kind})()
}

// ContactCustomFieldDefinitions returns the custom field definitions of
// the contact of third party thirdPartyID (those of the contacts of its
// kind), its siblings' third parties read with it.
func ContactCustomFieldDefinitions(ctx context.Context, thirdPartyID int, siblings []int) ([]*ent.CustomFieldDefinition, error) {
	l, ok := ctx.Value(ctxKey{}).(*Loaders)
	if !ok {
		return nil, errNoLoaders
	}
	kind, err := l.kinds.get(ctx, thirdPartyID, siblings)
	if err != nil {
		return nil, err
	}
	return l.customFields.Load(ctx, defKey{customfielddefinition.EntityCONTACT, kind})()
}

// kindBatch reads the kinds of third parties.
func kindBatch(client *ent.Client) dataloader.BatchFunc[int, enum.ThirdPartyKind] {
	return func(ctx context.Context, ids []int) []*dataloader.Result[enum.ThirdPartyKind] {
		metrics.Batch("third_party_kinds", len(ids))
		out := make([]*dataloader.Result[enum.ThirdPartyKind], len(ids))
		rows, err := clientOf(ctx, client).ThirdParty.Query().Where(thirdparty.IDIn(ids...)).
			Select(thirdparty.FieldID, thirdparty.FieldKind).All(ctx)
		kinds := make(map[int]enum.ThirdPartyKind, len(rows))
		for _, r := range rows {
			kinds[r.ID] = r.Kind
		}
		for i, id := range ids {
			k, ok := kinds[id]
			switch {
			case err != nil:
				out[i] = &dataloader.Result[enum.ThirdPartyKind]{Error: err}
			case !ok:
				out[i] = &dataloader.Result[enum.ThirdPartyKind]{Error: &ent.NotFoundError{}}
			default:
				out[i] = &dataloader.Result[enum.ThirdPartyKind]{Data: k}
			}
		}
		return out
	}
}

func managementEnds(l *ent.ManagementLink) (int, int) { return l.ThirdPartyID, l.LinkedThirdPartyID }
func filiationEnds(l *ent.FiliationLink) (int, int)   { return l.ThirdPartyID, l.LinkedThirdPartyID }

// linkBatch loads what hangs on many third parties (links, opportunities)
// in one query and gives each third party the rows it is an end of.
func linkBatch[L any](client *ent.Client, load func(context.Context, *ent.Client, []int) ([]L, error), ends func(L) (int, int)) dataloader.BatchFunc[int, []L] {
	return func(ctx context.Context, ids []int) []*dataloader.Result[[]L] {
		metrics.Batch("by_third_party", len(ids))
		out := make([]*dataloader.Result[[]L], len(ids))
		all, err := load(ctx, clientOf(ctx, client), ids)
		byID := map[int][]L{}
		for _, l := range all {
			a, b := ends(l)
			byID[a] = append(byID[a], l)
			if b != a {
				byID[b] = append(byID[b], l)
			}
		}
		for i, id := range ids {
			out[i] = &dataloader.Result[[]L]{Data: byID[id], Error: err}
		}
		return out
	}
}

// ManagementLinks returns the management links tab of third party tp:
// every link the viewer sees on it when they may open that tab of its kind
// (links.MayOpenTab), none otherwise. Loads are batched with siblings
// (the other third parties of the same page) when given: they are all
// asked for at once, so one query serves the page.
func ManagementLinks(ctx context.Context, tp *ent.ThirdParty, siblings []int) ([]*ent.ManagementLink, error) {
	l, ok := ctx.Value(ctxKey{}).(*Loaders)
	if !ok {
		return nil, errNoLoaders
	}
	if !links.MayOpenTab(viewer.FromContext(ctx), linktype.CategoryMANAGEMENT, tp.Kind) {
		return nil, nil
	}
	return l.managementLinks.get(ctx, tp.ID, siblings)
}

// FiliationLinks returns the filiation links tab of third party tp,
// batched and ruled like ManagementLinks.
func FiliationLinks(ctx context.Context, tp *ent.ThirdParty, siblings []int) ([]*ent.FiliationLink, error) {
	l, ok := ctx.Value(ctxKey{}).(*Loaders)
	if !ok {
		return nil, errNoLoaders
	}
	if !links.MayOpenTab(viewer.FromContext(ctx), linktype.CategoryFILIATION, tp.Kind) {
		return nil, nil
	}
	return l.filiationLinks.get(ctx, tp.ID, siblings)
}

func opportunityEnds(o *ent.Opportunity) (int, int) { return o.ThirdPartyID, o.ThirdPartyID }

// opportunitiesOf loads the opportunities of third parties ids, by
// expected signing date.
func opportunitiesOf(ctx context.Context, client *ent.Client, ids []int) ([]*ent.Opportunity, error) {
	return client.Opportunity.Query().Where(opportunity.ThirdPartyIDIn(ids...)).
		Order(ent.Asc(opportunity.FieldExpectedSigningDate), ent.Asc(opportunity.FieldID)).All(ctx)
}

// Opportunities returns the opportunities of a third party, batched like
// ManagementLinks.
func Opportunities(ctx context.Context, thirdPartyID int, siblings []int) ([]*ent.Opportunity, error) {
	l, ok := ctx.Value(ctxKey{}).(*Loaders)
	if !ok {
		return nil, errNoLoaders
	}
	return l.opportunities.get(ctx, thirdPartyID, siblings)
}
