package apitest

import (
	"slices"
	"testing"
)

// Helpers of the link and filiation tests.

// Link rights, spelled out as the API sees them (internal/rights).
const (
	RightReadClientMgmt    = 191517
	RightWriteClientMgmt   = 191518
	RightReadProspectMgmt  = 191519
	RightWriteProspectMgmt = 191520
	RightReadClientFil     = 191521
	RightWriteClientFil    = 191522
	RightReadProspectFil   = 191523
	RightWriteProspectFil  = 191524
)

const linkTypesQuery = `query($c: LinkCategory) { linkTypes(category: $c) { id code label category direction company { id shared } } }`

// LinkTypes lists the link types offered to token (category "" for all).
func (e *Env) LinkTypes(token, category string) []any {
	e.T.Helper()
	vars := map[string]any{}
	if category != "" {
		vars["c"] = category
	}
	l, _ := e.OK(token, linkTypesQuery, vars)["linkTypes"].([]any)
	return l
}

// TypeID returns the ID of the one link type of code offered to token.
func (e *Env) TypeID(token, code string) string {
	e.T.Helper()
	var ids []string
	for _, t := range e.LinkTypes(token, "") {
		if Str(t, "code") == code {
			ids = append(ids, Str(t, "id"))
		}
	}
	if len(ids) != 1 {
		e.T.Fatalf("want one offered link type %s, got %v", code, ids)
	}
	return ids[0]
}

// CompanyIDs returns the IDs of the shared and the login company of the
// administrator token.
func (e *Env) CompanyIDs(token string) (shared, login string) {
	e.T.Helper()
	d := e.OK(token, `{ me { company { id } organisation { companies { id shared } } } }`, nil)
	login = Str(d, "me.company.id")
	cs, _ := Get(d, "me.organisation.companies").([]any)
	for _, c := range cs {
		if b, _ := Get(c, "shared").(bool); b {
			shared = Str(c, "id")
		}
	}
	if shared == "" || login == "" {
		e.T.Fatalf("companies not found: %v", d)
	}
	return shared, login
}

// CreateLinkType defines a link type and selects its fields.
const CreateLinkType = `mutation($in: CreateLinkTypeInput!) { createLinkType(input: $in) { id code label category direction company { id } } }`

// NewLinkType defines a link type on company and returns its ID.
func (e *Env) NewLinkType(token, company, code, category, direction string) string {
	e.T.Helper()
	in := map[string]any{"code": code, "label": "Type " + code, "category": category, "companyId": company}
	if direction != "" {
		in["direction"] = direction
	}
	return Str(e.OK(token, CreateLinkType, map[string]any{"in": in}), "createLinkType.id")
}

// ThirdPartyOf creates a SUPPLIER or OTHER third party and returns its ID.
func (e *Env) ThirdPartyOf(token, kind, name string) string {
	e.T.Helper()
	d := e.OK(token, `mutation($in: CreateThirdPartyInput!) { createThirdParty(input: $in) { id } }`, map[string]any{
		"in": map[string]any{"kind": kind, "name": name},
	})
	return Str(d, "createThirdParty.id")
}

// CreateManagementLink creates a management link and selects both ends.
const CreateManagementLink = `mutation($in: CreateManagementLinkInput!) { createManagementLink(input: $in) {
	id isDefault thirdParty { id } type { code } linkedThirdParty { id } linkedType { code } } }`

// ManagementInput is the input of createManagementLink with type IDs.
func ManagementInput(tp, typeID, linked, linkedTypeID string, isDefault bool) map[string]any {
	return map[string]any{"in": map[string]any{
		"thirdPartyId": tp, "typeId": typeID, "linkedThirdPartyId": linked, "linkedTypeId": linkedTypeID, "isDefault": isDefault,
	}}
}

// ManagementLink links tp (type of code typ) to linked (type of code linkedTyp)
// and returns the link's ID.
func (e *Env) ManagementLink(token, tp, typ, linked, linkedTyp string, isDefault bool) string {
	e.T.Helper()
	d := e.OK(token, CreateManagementLink, ManagementInput(tp, e.TypeID(token, typ), linked, e.TypeID(token, linkedTyp), isDefault))
	return Str(d, "createManagementLink.id")
}

// CreateFiliationLink creates a filiation link and selects both ends.
const CreateFiliationLink = `mutation($in: CreateFiliationLinkInput!) { createFiliationLink(input: $in) {
	id thirdParty { id kind } linkedThirdParty { id kind } type { code direction } linkedType { code direction } } }`

// FiliationInput is the input of createFiliationLink.
func FiliationInput(tp, linked, typeID string) map[string]any {
	return map[string]any{"in": map[string]any{"thirdPartyId": tp, "linkedThirdPartyId": linked, "typeId": typeID}}
}

// FiliationSides is the input of createFiliationLink with a type on each
// side.
func FiliationSides(tp, typeID, linked, linkedTypeID string) map[string]any {
	return map[string]any{"in": map[string]any{"thirdPartyId": tp, "typeId": typeID, "linkedThirdPartyId": linked, "linkedTypeId": linkedTypeID}}
}

// FiliationLinkSides links tp (type of code typ) to linked (type of code
// linkedTyp) and returns the link's ID.
func (e *Env) FiliationLinkSides(token, tp, typ, linked, linkedTyp string) string {
	e.T.Helper()
	d := e.OK(token, CreateFiliationLink, FiliationSides(tp, e.TypeID(token, typ), linked, e.TypeID(token, linkedTyp)))
	return Str(d, "createFiliationLink.id")
}

// FiliationLink links tp to linked in the earlier one-type form (deprecated:
// code is the linked party's type, tp's side gets its counterpart) and
// returns the link's ID.
func (e *Env) FiliationLink(token, tp, linked, code string) string {
	e.T.Helper()
	return Str(e.OK(token, CreateFiliationLink, FiliationInput(tp, linked, e.TypeID(token, code))), "createFiliationLink.id")
}

// SetFlag switches a feature of the organisation of the administrator
// token.
func (e *Env) SetFlag(token, flag string, enabled bool) {
	e.T.Helper()
	e.OK(token, `mutation($f: FeatureFlag!, $on: Boolean!) { setFeatureFlag(flag: $f, enabled: $on) { id } }`,
		map[string]any{"f": flag, "on": enabled})
}

// NodeNotFound checks that node(id) answers NOT_FOUND with a null node.
func (e *Env) NodeNotFound(token, id string) {
	e.T.Helper()
	r := e.Do(token, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
	if r.Code() != "NOT_FOUND" || r.Data == nil || r.Data["node"] != nil {
		e.T.Fatalf("node %s: want NOT_FOUND and null, got %+v (data %v)", id, r.Errors, r.Data)
	}
}

// NodeFound checks that node(id) answers the object.
func (e *Env) NodeFound(token, id string) {
	e.T.Helper()
	if got := Str(e.OK(token, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}), "node.id"); got != id {
		e.T.Fatalf("node %s: got %q", id, got)
	}
}

// IDs returns the values at key of every element of a decoded list.
func IDs(list any, key string) []string {
	l, _ := list.([]any)
	out := []string{}
	for _, x := range l {
		out = append(out, Str(x, key))
	}
	return out
}

// SameSet reports whether a and b hold the same strings, in any order.
func SameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// WantSet fails unless got holds exactly want, in any order.
func WantSet(t testing.TB, what string, got, want []string) {
	t.Helper()
	if !SameSet(got, want) {
		t.Fatalf("%s: want %v, got %v", what, want, got)
	}
}

const mgmtLinksOf = `query($id: ID!) { node(id: $id) { ... on ThirdParty {
	managementLinks { id isDefault thirdParty { id } linkedThirdParty { id } type { code } linkedType { code } }
	billToParties { id name } deliverySites { id name } } } }`

// ManagementOf reads the management links, bill-to parties and delivery sites
// of third party id.
func (e *Env) ManagementOf(token, id string) map[string]any {
	e.T.Helper()
	n, _ := e.OK(token, mgmtLinksOf, map[string]any{"id": id})["node"].(map[string]any)
	if n == nil {
		e.T.Fatalf("third party %s not found", id)
	}
	return n
}

const filLinksOf = `query($id: ID!) { node(id: $id) { ... on ThirdParty { filiationLinks { id thirdParty { id } linkedThirdParty { id } type { code } } } } }`

// FiliationLinksOf returns the IDs of the filiation links of third party id.
func (e *Env) FiliationLinksOf(token, id string) []string {
	e.T.Helper()
	return IDs(Get(e.OK(token, filLinksOf, map[string]any{"id": id}), "node.filiationLinks"), "id")
}
