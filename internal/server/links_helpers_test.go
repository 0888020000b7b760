package server_test

import (
	"slices"
	"testing"
)

// Helpers of links_test.go and filiation_test.go.

// Link rights (internal/rights), as the API sees them.
const (
	rReadClientMgmt    = 191517
	rWriteClientMgmt   = 191518
	rReadProspectMgmt  = 191519
	rWriteProspectMgmt = 191520
	rReadClientFil     = 191521
	rWriteClientFil    = 191522
	rReadProspectFil   = 191523
	rWriteProspectFil  = 191524
)

const linkTypesQuery = `query($c: LinkCategory) { linkTypes(category: $c) { id code label category direction company { id shared } } }`

// linkTypes lists the link types offered to token (category "" for all).
func (e *env) linkTypes(token, category string) []any {
	e.t.Helper()
	vars := map[string]any{}
	if category != "" {
		vars["c"] = category
	}
	l, _ := e.ok(token, linkTypesQuery, vars)["linkTypes"].([]any)
	return l
}

// typeID returns the ID of the one link type of code offered to token.
func (e *env) typeID(token, code string) string {
	e.t.Helper()
	var ids []string
	for _, t := range e.linkTypes(token, "") {
		if str(t, "code") == code {
			ids = append(ids, str(t, "id"))
		}
	}
	if len(ids) != 1 {
		e.t.Fatalf("want one offered link type %s, got %v", code, ids)
	}
	return ids[0]
}

// companyIDs returns the IDs of the shared and the login company of the
// administrator token.
func (e *env) companyIDs(token string) (shared, login string) {
	e.t.Helper()
	d := e.ok(token, `{ me { company { id } organisation { companies { id shared } } } }`, nil)
	login = str(d, "me.company.id")
	cs, _ := get(d, "me.organisation.companies").([]any)
	for _, c := range cs {
		if b, _ := get(c, "shared").(bool); b {
			shared = str(c, "id")
		}
	}
	if shared == "" || login == "" {
		e.t.Fatalf("companies not found: %v", d)
	}
	return shared, login
}

const createLinkType = `mutation($in: CreateLinkTypeInput!) { createLinkType(input: $in) { id code label category direction company { id } } }`

// newLinkType defines a link type on company and returns its ID.
func (e *env) newLinkType(token, company, code, category, direction string) string {
	e.t.Helper()
	in := map[string]any{"code": code, "label": "Type " + code, "category": category, "companyId": company}
	if direction != "" {
		in["direction"] = direction
	}
	return str(e.ok(token, createLinkType, map[string]any{"in": in}), "createLinkType.id")
}

// thirdPartyOf creates a SUPPLIER or OTHER third party and returns its ID.
func (e *env) thirdPartyOf(token, kind, name string) string {
	e.t.Helper()
	d := e.ok(token, `mutation($in: CreateThirdPartyInput!) { createThirdParty(input: $in) { id } }`, map[string]any{
		"in": map[string]any{"kind": kind, "name": name},
	})
	return str(d, "createThirdParty.id")
}

const createMgmtLink = `mutation($in: CreateManagementLinkInput!) { createManagementLink(input: $in) {
	id isDefault thirdParty { id } type { code } linkedThirdParty { id } linkedType { code } } }`

// mgmtInput is the input of createManagementLink with type IDs.
func mgmtInput(tp, typeID, linked, linkedTypeID string, isDefault bool) map[string]any {
	return map[string]any{"in": map[string]any{
		"thirdPartyId": tp, "typeId": typeID, "linkedThirdPartyId": linked, "linkedTypeId": linkedTypeID, "isDefault": isDefault,
	}}
}

// mgmtLink links tp (type of code typ) to linked (type of code linkedTyp)
// and returns the link's ID.
func (e *env) mgmtLink(token, tp, typ, linked, linkedTyp string, isDefault bool) string {
	e.t.Helper()
	d := e.ok(token, createMgmtLink, mgmtInput(tp, e.typeID(token, typ), linked, e.typeID(token, linkedTyp), isDefault))
	return str(d, "createManagementLink.id")
}

const createFilLink = `mutation($in: CreateFiliationLinkInput!) { createFiliationLink(input: $in) {
	id thirdParty { id kind } linkedThirdParty { id kind } type { code direction } } }`

// filInput is the input of createFiliationLink.
func filInput(tp, linked, typeID string) map[string]any {
	return map[string]any{"in": map[string]any{"thirdPartyId": tp, "linkedThirdPartyId": linked, "typeId": typeID}}
}

// filLink links tp to linked with the filiation type of code and returns
// the link's ID.
func (e *env) filLink(token, tp, linked, code string) string {
	e.t.Helper()
	return str(e.ok(token, createFilLink, filInput(tp, linked, e.typeID(token, code))), "createFiliationLink.id")
}

// setFlag switches a feature of the organisation of the administrator
// token.
func (e *env) setFlag(token, flag string, enabled bool) {
	e.t.Helper()
	e.ok(token, `mutation($f: FeatureFlag!, $on: Boolean!) { setFeatureFlag(flag: $f, enabled: $on) { id } }`,
		map[string]any{"f": flag, "on": enabled})
}

// nodeNotFound checks that node(id) answers NOT_FOUND with a null node.
func (e *env) nodeNotFound(token, id string) {
	e.t.Helper()
	r := e.do(token, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
	if r.code() != "NOT_FOUND" || r.Data == nil || r.Data["node"] != nil {
		e.t.Fatalf("node %s: want NOT_FOUND and null, got %+v (data %v)", id, r.Errors, r.Data)
	}
}

// nodeFound checks that node(id) answers the object.
func (e *env) nodeFound(token, id string) {
	e.t.Helper()
	if got := str(e.ok(token, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}), "node.id"); got != id {
		e.t.Fatalf("node %s: got %q", id, got)
	}
}

// ids returns the values at key of every element of a decoded list.
func ids(list any, key string) []string {
	l, _ := list.([]any)
	out := []string{}
	for _, x := range l {
		out = append(out, str(x, key))
	}
	return out
}

// sameSet reports whether a and b hold the same strings, in any order.
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// wantSet fails unless got holds exactly want, in any order.
func wantSet(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !sameSet(got, want) {
		t.Fatalf("%s: want %v, got %v", what, want, got)
	}
}

const mgmtLinksOf = `query($id: ID!) { node(id: $id) { ... on ThirdParty {
	managementLinks { id isDefault thirdParty { id } linkedThirdParty { id } type { code } linkedType { code } }
	billToParties { id name } deliverySites { id name } } } }`

// mgmtOf reads the management links, bill-to parties and delivery sites
// of third party id.
func (e *env) mgmtOf(token, id string) map[string]any {
	e.t.Helper()
	n, _ := e.ok(token, mgmtLinksOf, map[string]any{"id": id})["node"].(map[string]any)
	if n == nil {
		e.t.Fatalf("third party %s not found", id)
	}
	return n
}

const filLinksOf = `query($id: ID!) { node(id: $id) { ... on ThirdParty { filiationLinks { id thirdParty { id } linkedThirdParty { id } type { code } } } } }`

// filOf returns the IDs of the filiation links of third party id.
func (e *env) filOf(token, id string) []string {
	e.t.Helper()
	return ids(get(e.ok(token, filLinksOf, map[string]any{"id": id}), "node.filiationLinks"), "id")
}
