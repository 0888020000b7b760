// Package duplicates finds the likely duplicates of a third party or a
// contact within its organisation: when one is created (createProspect,
// upsertClient, createContact, the CSV import), while a form is typed
// (the duplicateCandidates query), and over the whole organisation for
// data stewards (duplicateGroups).
//
// # Rules
//
// Two third parties are likely duplicates when they have
//
//   - the same SIREN (SAME_SIREN), SIRET (SAME_SIRET) or VAT number
//     (SAME_VAT), as stored: validated and normalised (internal/validate);
//   - the same e-mail (SAME_EMAIL) or phone (SAME_PHONE): phones are
//     stored in E.164, so "01 23 45 67 89" and "+33 1 23 45 67 89" match;
//   - a near-identical name (SIMILAR_NAME) and the same postal code or
//     city (cities compared folded): names are compared by NameKey, their
//     words folded by search.Words (the search field's normaliser) without
//     legal forms ("SARL", "SAS", "Ets"…) and sorted, so words in another
//     order match; one word may differ by one typo (SimilarNames) when
//     both spellings have 5 letters or more.
//
// Two contacts are likely duplicates when they have the same e-mail, the
// same phone (a direct line or mobile equal to the other's direct line or
// mobile), or a similar full name on the same third party.
//
// # Look-ups
//
// Every look-up reads an index per organisation: (organisation_id, siren
// | siret | vat_number | email | phone) on third parties, (organisation_id,
// email | mobile | direct_line) on contacts, and for names the stored
// name_key (set by NameKeyHook) by prefix range: one edit leaves either
// the first half of a key or its end intact, so candidates are the keys
// sharing the probe's first half (index (organisation_id, name_key,
// postal_code)) or its end (index (organisation_id, name_key_reversed)),
// then SimilarNames and the place decide. A typo that moves a word in the
// sorted key can be missed.
//
// Candidates are read through ent with the viewer's context, so tenancy,
// read rights and the closed-client rule (191516) apply to what is shown.
//
// # Policy
//
// The organisation's duplicate_policy decides what a creation does:
// WARN (default) creates and warns (POSSIBLE_DUPLICATE in
// extensions.warnings); BLOCK_EXACT refuses a new record whose SIREN or
// SIRET another record of the organisation has (CONFLICT naming it),
// whatever the viewer may read, and warns for the other reasons.
//
// # Report
//
// Groups pages through the organisation's groups: a reason and a value
// (a SIREN, an e-mail…, a name key with its postal code) shared by two
// records or more, found by GROUP BY … HAVING count(*) > 1 on the indexed
// key, in key order from the cursor: no pair of records is ever compared.
// Typos are not grouped (the look-ups find them).
package duplicates

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"carnet/ent"
	"carnet/ent/contact"
	"carnet/ent/organisation"
	"carnet/ent/predicate"
	"carnet/ent/privacy"
	"carnet/ent/thirdparty"
	"carnet/internal/auth"
	"carnet/internal/errs"
	"carnet/internal/gid"
	"carnet/internal/rights"
	"carnet/internal/search"
	"carnet/internal/viewer"
)

// Reason is why two records are likely duplicates.
type Reason string

// The reasons, in the order they are reported.
const (
	SameSiren   Reason = "SAME_SIREN"
	SameSiret   Reason = "SAME_SIRET"
	SameVAT     Reason = "SAME_VAT"
	SameEmail   Reason = "SAME_EMAIL"
	SamePhone   Reason = "SAME_PHONE"
	SimilarName Reason = "SIMILAR_NAME"
)

// Reasons lists every reason, in report order.
var Reasons = []Reason{SameSiren, SameSiret, SameVAT, SameEmail, SamePhone, SimilarName}

// Policy is an organisation's duplicate policy.
type Policy string

// The policies.
const (
	Warn       Policy = "WARN"
	BlockExact Policy = "BLOCK_EXACT"
)

// PossibleDuplicate is the code of the warning of a creation that has
// likely duplicates.
const PossibleDuplicate errs.Code = "POSSIBLE_DUPLICATE"

// MaxCandidates bounds the candidates of one probe.
const MaxCandidates = 20

// nameRows bounds the rows one name range reads.
const nameRows = 500

// ThirdPartyProbe is a third party about to be saved, with its values
// normalised as stored. Exclude is its own ID when it exists already.
type ThirdPartyProbe struct {
	Name                                  string
	Siren, Siret, VatNumber, Email, Phone *string
	PostalCode, City                      *string
	Exclude                               int
}

// ContactProbe is a contact about to be saved, its values normalised.
type ContactProbe struct {
	ThirdPartyID          int
	FirstName             *string
	LastName              string
	Email, Mobile, Direct *string
	Exclude               int
}

// Candidate is a record that a probe may duplicate, and why.
type Candidate struct {
	// Record is an *ent.ThirdParty or an *ent.Contact.
	Record  ent.Noder
	Reasons []Reason
}

// name returns the candidate's name, for messages.
func (c Candidate) name() string {
	switch r := c.Record.(type) {
	case *ent.ThirdParty:
		return r.Name
	case *ent.Contact:
		return contactName(r.FirstName, r.LastName)
	}
	return ""
}

func contactName(first *string, last string) string {
	if first == nil || *first == "" {
		return last
	}
	return *first + " " + last
}

// idOf returns the ID of a candidate's record.
func idOf(n ent.Noder) int {
	switch r := n.(type) {
	case *ent.ThirdParty:
		return r.ID
	case *ent.Contact:
		return r.ID
	}
	return 0
}

func given(s *string) bool { return s != nil && *s != "" }

// ThirdParties returns the third parties of the viewer's organisation
// that the viewer may read and that p may duplicate: those with exact
// reasons first, then by ID, at most MaxCandidates.
func ThirdParties(ctx context.Context, client *ent.Client, p ThirdPartyProbe) ([]Candidate, error) {
	var exact []predicate.ThirdParty
	if given(p.Siren) {
		exact = append(exact, thirdparty.Siren(*p.Siren))
	}
	if given(p.Siret) {
		exact = append(exact, thirdparty.Siret(*p.Siret))
	}
	if given(p.VatNumber) {
		exact = append(exact, thirdparty.VatNumber(*p.VatNumber))
	}
	if given(p.Email) {
		exact = append(exact, thirdparty.Email(*p.Email))
	}
	if given(p.Phone) {
		exact = append(exact, thirdparty.Phone(*p.Phone))
	}
	// One query per key rather than an OR of them: each reads its own
	// index (organisation_id, key); SQLite answered the OR by walking the
	// organisation.
	found := map[int]*ent.ThirdParty{}
	for _, pred := range exact {
		tps, err := client.ThirdParty.Query().
			Where(pred, thirdparty.IDNEQ(p.Exclude)).Limit(MaxCandidates).All(ctx)
		if err != nil {
			return nil, err
		}
		for _, tp := range tps {
			found[tp.ID] = tp
		}
	}
	key := NameKey(p.Name)
	place := given(p.PostalCode) || given(p.City)
	if key != "" && place {
		prefix, rev := probeHalves(key)
		ranges := []predicate.ThirdParty{
			rangeOf(thirdparty.NameKeyGTE, thirdparty.NameKeyLT, prefix),
			rangeOf(thirdparty.NameKeyReversedGTE, thirdparty.NameKeyReversedLT, rev),
		}
		// The ranges read the compared columns only; the records that
		// match are read whole afterwards.
		var ids []int
		for _, r := range ranges {
			tps, err := client.ThirdParty.Query().
				Where(r, thirdparty.IDNEQ(p.Exclude)).Limit(nameRows).
				Select(thirdparty.FieldID, thirdparty.FieldNameKey, thirdparty.FieldPostalCode, thirdparty.FieldCity).All(ctx)
			if err != nil {
				return nil, err
			}
			for _, tp := range tps {
				if found[tp.ID] == nil && SimilarNames(key, tp.NameKey) && samePlace(p.PostalCode, p.City, tp.PostalCode, tp.City) {
					ids = append(ids, tp.ID)
				}
			}
		}
		if len(ids) > 0 {
			tps, err := client.ThirdParty.Query().Where(thirdparty.IDIn(ids...)).All(ctx)
			if err != nil {
				return nil, err
			}
			for _, tp := range tps {
				found[tp.ID] = tp
			}
		}
	}
	out := make([]Candidate, 0, len(found))
	for _, tp := range found {
		var rs []Reason
		same := func(a, b *string) bool { return given(a) && b != nil && *a == *b }
		if same(p.Siren, tp.Siren) {
			rs = append(rs, SameSiren)
		}
		if same(p.Siret, tp.Siret) {
			rs = append(rs, SameSiret)
		}
		if same(p.VatNumber, tp.VatNumber) {
			rs = append(rs, SameVAT)
		}
		if same(p.Email, tp.Email) {
			rs = append(rs, SameEmail)
		}
		if same(p.Phone, tp.Phone) {
			rs = append(rs, SamePhone)
		}
		if place && SimilarNames(key, tp.NameKey) && samePlace(p.PostalCode, p.City, tp.PostalCode, tp.City) {
			rs = append(rs, SimilarName)
		}
		if len(rs) > 0 {
			out = append(out, Candidate{Record: tp, Reasons: rs})
		}
	}
	return ordered(out), nil
}

// rangeOf is the prefix range of p on a key column; a column ≥ "" (every
// non-empty key) when p is empty.
func rangeOf(gte, lt func(string) predicate.ThirdParty, p string) predicate.ThirdParty {
	if end := prefixEnd(p); end != "" {
		return thirdparty.And(gte(p), lt(end))
	}
	return gte(p)
}

// samePlace reports whether two addresses share a postal code or a city
// (folded: "LYON" is "Lyon").
func samePlace(pc, city, pc2, city2 *string) bool {
	if given(pc) && given(pc2) && strings.EqualFold(strings.ReplaceAll(*pc, " ", ""), strings.ReplaceAll(*pc2, " ", "")) {
		return true
	}
	return given(city) && given(city2) && search.Fold(*city) == search.Fold(*city2)
}

// ordered sorts candidates: those with an exact reason first, then by ID;
// at most MaxCandidates.
func ordered(cs []Candidate) []Candidate {
	exact := func(c Candidate) int {
		if slices.ContainsFunc(c.Reasons, func(r Reason) bool { return r != SimilarName }) {
			return 0
		}
		return 1
	}
	slices.SortFunc(cs, func(a, b Candidate) int {
		if d := exact(a) - exact(b); d != 0 {
			return d
		}
		return idOf(a.Record) - idOf(b.Record)
	})
	if len(cs) > MaxCandidates {
		cs = cs[:MaxCandidates]
	}
	return cs
}

// Contacts returns the contacts of the viewer's organisation that the
// viewer may read and that p may duplicate.
func Contacts(ctx context.Context, client *ent.Client, p ContactProbe) ([]Candidate, error) {
	var exact []predicate.Contact
	if given(p.Email) {
		exact = append(exact, contact.Email(*p.Email))
	}
	for _, phone := range []*string{p.Mobile, p.Direct} {
		if given(phone) {
			exact = append(exact, contact.Mobile(*phone), contact.DirectLine(*phone))
		}
	}
	found := map[int]*ent.Contact{}
	for _, pred := range exact { // one query per key, as for third parties
		cs, err := client.Contact.Query().Where(pred, contact.IDNEQ(p.Exclude)).Limit(MaxCandidates).All(ctx)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			found[c.ID] = c
		}
	}
	key := NameKey(contactName(p.FirstName, p.LastName))
	if key != "" && p.ThirdPartyID != 0 {
		cs, err := client.Contact.Query().Where(contact.ThirdPartyID(p.ThirdPartyID), contact.IDNEQ(p.Exclude)).Limit(nameRows).All(ctx)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if SimilarNames(key, NameKey(contactName(c.FirstName, c.LastName))) {
				found[c.ID] = c
			}
		}
	}
	out := make([]Candidate, 0, len(found))
	for _, c := range found {
		var rs []Reason
		if given(p.Email) && c.Email != nil && *c.Email == *p.Email {
			rs = append(rs, SameEmail)
		}
		for _, phone := range []*string{p.Mobile, p.Direct} {
			if given(phone) && ((c.Mobile != nil && *c.Mobile == *phone) || (c.DirectLine != nil && *c.DirectLine == *phone)) && !slices.Contains(rs, SamePhone) {
				rs = append(rs, SamePhone)
			}
		}
		if c.ThirdPartyID == p.ThirdPartyID && SimilarNames(key, NameKey(contactName(c.FirstName, c.LastName))) {
			rs = append(rs, SimilarName)
		}
		if len(rs) > 0 {
			out = append(out, Candidate{Record: c, Reasons: rs})
		}
	}
	return ordered(out), nil
}

// Visible drops the error of a viewer who may not read records: such a
// viewer is shown no candidates rather than refused a creation.
func Visible(cs []Candidate, err error) ([]Candidate, error) {
	if isDenied(err) {
		return nil, nil
	}
	return cs, err
}

func isDenied(err error) bool { return errors.Is(err, privacy.Deny) }

// Warning returns the POSSIBLE_DUPLICATE warning of candidates, nil when
// there are none.
func Warning(cs []Candidate) *errs.Warning {
	if len(cs) == 0 {
		return nil
	}
	w := &errs.Warning{Code: PossibleDuplicate}
	var names []string
	for _, c := range cs {
		reasons := make([]string, len(c.Reasons))
		for i, r := range c.Reasons {
			reasons[i] = string(r)
		}
		id := idOf(c.Record)
		w.Candidates = append(w.Candidates, errs.WarningCandidate{ID: gid.Encode(id), Name: c.name(), Reasons: reasons})
		names = append(names, fmt.Sprintf("%s (%s)", c.name(), strings.Join(reasons, ", ")))
	}
	w.Message = "possible duplicate of " + strings.Join(names, "; ")
	return w
}

// PolicyOf returns the duplicate policy of the viewer's organisation.
func PolicyOf(ctx context.Context, client *ent.Client) (Policy, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return Warn, nil
	}
	p, err := client.Organisation.Query().Where(organisation.ID(v.OrgID)).
		Select(organisation.FieldDuplicatePolicy).String(privacy.DecisionContext(ctx, privacy.Allow))
	if err != nil {
		return Warn, fmt.Errorf("duplicates: policy: %w", err)
	}
	return Policy(p), nil
}

// CheckThirdParty is the check of a new third party (or a prospect
// converted, Exclude its ID): under BLOCK_EXACT, CONFLICT when another
// third party of the organisation has its SIREN or SIRET, whether or not
// the viewer may read it (named only if they may); otherwise the warning
// of the candidates the viewer may read, if any.
func CheckThirdParty(ctx context.Context, client *ent.Client, p ThirdPartyProbe) (*errs.Warning, error) {
	if given(p.Siren) || given(p.Siret) {
		policy, err := PolicyOf(ctx, client)
		if err != nil {
			return nil, err
		}
		if policy == BlockExact {
			if err := blockExact(ctx, client, p); err != nil {
				return nil, err
			}
		}
	}
	cs, err := Visible(ThirdParties(ctx, client, p))
	if err != nil {
		return nil, err
	}
	return Warning(cs), nil
}

// blockExact refuses p when another third party has its SIREN or SIRET.
func blockExact(ctx context.Context, client *ent.Client, p ThirdPartyProbe) error {
	v := viewer.FromContext(ctx)
	for _, key := range []struct {
		value *string
		pred  func(string) predicate.ThirdParty
		label string
	}{{p.Siret, thirdparty.Siret, "SIRET"}, {p.Siren, thirdparty.Siren, "SIREN"}} {
		if !given(key.value) {
			continue
		}
		tp, err := client.ThirdParty.Query().
			Where(thirdparty.OrganisationID(v.OrgID), key.pred(*key.value), thirdparty.IDNEQ(p.Exclude)).
			Order(ent.Asc(thirdparty.FieldID)).First(privacy.DecisionContext(ctx, privacy.Allow))
		if ent.IsNotFound(err) {
			continue
		}
		if err != nil {
			return fmt.Errorf("duplicates: block exact: %w", err)
		}
		if seen, err := client.ThirdParty.Query().Where(thirdparty.ID(tp.ID)).Exist(ctx); err == nil && seen {
			e := errs.E(errs.Conflict, "%s %s is already the one of %s (%s): the organisation refuses duplicates (duplicate policy BLOCK_EXACT)", key.label, *key.value, tp.Name, gid.Encode(tp.ID))
			e.Field = strings.ToLower(key.label)
			return e
		}
		e := errs.E(errs.Conflict, "%s %s is already the one of a record you may not read: the organisation refuses duplicates (duplicate policy BLOCK_EXACT)", key.label, *key.value)
		e.Field = strings.ToLower(key.label)
		return e
	}
	return nil
}

// CheckContact is the check of a new contact: the warning of its
// candidates, if any (BLOCK_EXACT concerns SIREN and SIRET only).
func CheckContact(ctx context.Context, client *ent.Client, p ContactProbe) (*errs.Warning, error) {
	cs, err := Visible(Contacts(ctx, client, p))
	if err != nil {
		return nil, err
	}
	return Warning(cs), nil
}

// ThirdPartyProbeOf is the probe of a third party about to be created
// (exclude 0) or changed by m, its values as validated into m.
func ThirdPartyProbeOf(m *ent.ThirdPartyMutation, exclude int) ThirdPartyProbe {
	get := func(v string, ok bool) *string {
		if !ok {
			return nil
		}
		return &v
	}
	name, _ := m.Name()
	return ThirdPartyProbe{
		Name:       name,
		Siren:      get(m.Siren()),
		Siret:      get(m.Siret()),
		VatNumber:  get(m.VatNumber()),
		Email:      get(m.Email()),
		Phone:      get(m.Phone()),
		PostalCode: get(m.PostalCode()),
		City:       get(m.City()),
		Exclude:    exclude,
	}
}

// ContactProbeOf is the probe of a contact about to be created by m.
func ContactProbeOf(m *ent.ContactMutation, exclude int) ContactProbe {
	get := func(v string, ok bool) *string {
		if !ok {
			return nil
		}
		return &v
	}
	tp, _ := m.ThirdPartyID()
	last, _ := m.LastName()
	return ContactProbe{
		ThirdPartyID: tp,
		FirstName:    get(m.FirstName()),
		LastName:     last,
		Email:        get(m.Email()),
		Mobile:       get(m.Mobile()),
		Direct:       get(m.DirectLine()),
		Exclude:      exclude,
	}
}

// SetPolicy sets the duplicate policy of the viewer's organisation (right
// 100009), from its next creation on.
func SetPolicy(ctx context.Context, client *ent.Client, p Policy) (*ent.Organisation, error) {
	if err := auth.Require(ctx, rights.Administer); err != nil {
		return nil, err
	}
	if p != Warn && p != BlockExact {
		return nil, errs.Invalid("policy", "unknown duplicate policy %s", p)
	}
	return client.Organisation.UpdateOneID(viewer.FromContext(ctx).OrgID).
		SetDuplicatePolicy(organisation.DuplicatePolicy(p)).Save(ctx)
}
