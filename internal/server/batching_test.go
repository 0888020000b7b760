package server_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

// Documents whose lists (management and filiation links, opportunities,
// custom fields, contacts, activities) hang below other lists, at several
// depths. Each must cost the same statements whatever the machine's load.
var nestedPages = []struct {
	name, query string
	list        string // the top-level list, to check its length
	statements  int64  // authentication included
}{
	{"contacts → third party → links", `{ contacts(first: 100, where: {hasThirdPartyWith: {kind: PROSPECT}}) { edges { node { lastName
		thirdParty { name managementLinks { isDefault type { code } linkedThirdParty { name } } filiationLinks { type { code } linkedThirdParty { name } } } } } } }`,
		"contacts", 9},
	{"contacts → third party → every loaded list", `{ contacts(first: 100, where: {hasThirdPartyWith: {kind: PROSPECT}}) { edges { node { lastName customFields { key }
		thirdParty { name customFields { key } opportunities { name } billToParties { name } deliverySites { name }
			managementLinks { linkedThirdParty { name managementLinks { id } filiationLinks { id } } }
			filiationLinks { linkedThirdParty { name opportunities { name } } } } } } } }`,
		"contacts", 19},
	{"third parties → contacts → activities and third party", `{ thirdParties(first: 100, where: {kind: PROSPECT}) { edges { node { name opportunities { name }
		contacts(first: 1) { edges { node { lastName customFields { key }
			activities(first: 1) { edges { node { subject } } }
			thirdParty { name managementLinks { id } filiationLinks { id } opportunities { name } } } } } } } } }`,
		"thirdParties", 15},
	{"third parties → links → linked third party → links", `{ thirdParties(first: 100, where: {kind: PROSPECT}) { edges { node { name
		managementLinks { linkedThirdParty { managementLinks { linkedThirdParty { name } } filiationLinks { id } } }
		filiationLinks { thirdParty { opportunities { name } } linkedThirdParty { filiationLinks { id } } } } } } }`,
		"thirdParties", 18},
	// A linked record's contacts: entgql loads a nested connection with
	// its parents only at the top, so the linked records of the place are
	// read again with their contacts (one window function for first: 1)
	// and the contacts' third parties, and the walk goes on through them.
	{"third parties → links → linked third party's own contacts", `{ thirdParties(first: 100, where: {kind: PROSPECT}) { edges { node { name
		managementLinks { linkedThirdParty { contacts(first: 1) { edges { node { customFields { key } thirdParty { opportunities { name } } } } } } } } } } }`,
		"thirdParties", 11},
	// An opportunity's contacts, loaded for every opportunity of the
	// page at once (the opportunities, then their contacts), and the
	// walk goes on through them to the contacts' custom fields.
	{"third parties → opportunities → contacts", `{ thirdParties(first: 100, where: {kind: PROSPECT}) { edges { node { name
		opportunities { name contacts { lastName customFields { key } } } } } } }`,
		"thirdParties", 7},
}

// TestNestedPagesCostTheSameStatementsUnderLoad proves that batching does
// not hang on timing: each nested document costs an exact number of
// statements, the same on an idle machine and on a loaded one (one
// processor, busy goroutines beside the server), 20 times in a row. A
// loader that waited for a time window to gather its keys split its batch
// when the machine was busy.
func TestNestedPagesCostTheSameStatementsUnderLoad(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		e.OK(e.TokenA, `mutation { defineCustomField(input: {target: PROSPECT, key: "secteur", label: "Secteur", type: TEXT}) { id } }`, nil)
		e.OK(e.TokenA, `mutation { defineCustomField(input: {target: PROSPECT, entity: CONTACT, key: "poste", label: "Poste", type: TEXT}) { id } }`, nil)
		filiale := e.TypeID(e.TokenA, "FILIALE")
		ids := make([]string, 101)
		for i := range ids {
			ids[i] = e.Prospect(e.TokenA, fmt.Sprintf("Prospect %03d", i))
			c := e.Contact(e.TokenA, ids[i], "Contact")
			if i%10 == 0 {
				e.OK(e.TokenA, `mutation($in: CreateOpportunityInput!) { createOpportunity(input: $in) { id } }`,
					map[string]any{"in": map[string]any{"name": "Affaire", "thirdPartyId": ids[i], "contactIds": []string{c}}})
				e.Activity(e.TokenA, c, "Appel")
			}
		}
		for i := range 100 {
			e.ManagementLink(e.TokenA, ids[i], "DONORDRE", ids[i+1], "CL_A_FACT", false)
			e.OK(e.TokenA, apitest.CreateFiliationLink, apitest.FiliationInput(ids[i], ids[i+1], filiale))
		}
		rec, log := recordingEnv(t, d)
		cost := func(t *testing.T, query, list string) int64 {
			t.Helper()
			// Again when authentication wrote the token's last use (once a
			// minute): those statements are not the document's.
			for {
				log.reset()
				got := rec.With(t).OK(e.TokenA, query, nil)
				if n := len(apitest.Get(got, list+".edges").([]any)); n != 100 {
					t.Fatalf("%d %s, want 100", n, list)
				}
				if !log.has("UPDATE", "tokens", "last_used_at") {
					return int64(log.len())
				}
			}
		}
		for _, p := range nestedPages {
			t.Run(p.name, func(t *testing.T) {
				idle := cost(t, p.query, p.list)
				if p.list == "contacts" {
					// Every record of the page has its links: 100 records
					// linked in a chain, minus the first one's predecessor.
					got := rec.With(t).OK(e.TokenA, p.query, nil)
					for _, f := range []string{"managementLinks", "filiationLinks"} {
						n := 0
						for _, c := range apitest.Get(got, "contacts.edges").([]any) {
							n += len(apitest.Get(c, "node.thirdParty."+f).([]any))
						}
						if n != 199 {
							t.Errorf("%d %s on the page's records, want 199", n, f)
						}
					}
				}
				if p.name == "third parties → links → linked third party's own contacts" {
					// Each link's linked record shows its one contact, and
					// that contact's third party its opportunity: the 19
					// linked records whose number ends in 0.
					got := rec.With(t).OK(e.TokenA, p.query, nil)
					contacts, opportunities := 0, 0
					for _, tp := range apitest.Get(got, "thirdParties.edges").([]any) {
						for _, l := range apitest.Get(tp, "node.managementLinks").([]any) {
							for _, c := range apitest.Get(l, "linkedThirdParty.contacts.edges").([]any) {
								contacts++
								opportunities += len(apitest.Get(c, "node.thirdParty.opportunities").([]any))
							}
						}
					}
					if contacts != 199 || opportunities != 19 {
						t.Errorf("%d contacts and %d opportunities below the linked records, want 199 and 19", contacts, opportunities)
					}
				}
				if p.name == "third parties → opportunities → contacts" {
					// Every tenth record has an opportunity with its contact.
					got := rec.With(t).OK(e.TokenA, p.query, nil)
					var names []string
					for _, tp := range apitest.Get(got, "thirdParties.edges").([]any) {
						for _, o := range apitest.Get(tp, "node.opportunities").([]any) {
							names = append(names, apitest.Names(apitest.Get(o, "contacts"), "lastName")...)
						}
					}
					if len(names) != 10 {
						t.Errorf("contacts of the opportunities: %v, want 10", names)
					}
				}
				loaded := underLoad(func() []int64 {
					var out []int64
					for range 20 {
						out = append(out, cost(t, p.query, p.list))
					}
					return out
				})
				t.Logf("statements: idle %d, under load %v", idle, loaded)
				if idle != p.statements {
					t.Errorf("idle: %d statements, want %d", idle, p.statements)
				}
				for i, n := range loaded {
					if n != idle {
						t.Fatalf("run %d under load: %d statements, idle %d (all: %v)", i+1, n, idle, loaded)
					}
				}
			})
		}
	})
}

// underLoad runs fn on one processor beside busy goroutines.
func underLoad[T any](fn func() T) T {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var spins atomic.Int64
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				for range 1_000_000 {
					spins.Add(1)
				}
			}
		}()
	}
	defer wg.Wait()
	defer stop()
	return fn()
}
