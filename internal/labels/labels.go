// Package labels gives the words a screen or a printed sheet shows for
// the API's enum values (« Prospect brouillon », « Filiale »… see
// docs/frontend.md, "Language and labels"), in French or English. The
// GraphQL fields <field>Label, the printed record sheet and the error
// messages' arguments read them here.
package labels

import (
	"carnet/ent/activity"
	"carnet/ent/auditevent"
	"carnet/ent/customfielddefinition"
	"carnet/ent/linktype"
	"carnet/ent/schema/enum"
	"carnet/ent/thirdparty"
	"carnet/internal/lang"
)

// text is a label in each language.
type text struct{ fr, en string }

func (t text) in(l lang.Language) string {
	if l == lang.EN {
		return t.en
	}
	return t.fr
}

// lookup returns the label of value in table, or the value itself when the
// table lacks it (a value added to an enum without a label yet).
func lookup[K ~string](table map[K]text, value K, l lang.Language) string {
	if t, ok := table[value]; ok {
		return t.in(l)
	}
	return string(value)
}

var kinds = map[enum.ThirdPartyKind]text{
	enum.Client:   {"Client", "Client"},
	enum.Prospect: {"Prospect", "Prospect"},
	enum.Supplier: {"Fournisseur", "Supplier"},
	enum.Other:    {"Autre tiers", "Other third party"},
}

// Kind is the label of a third party's kind: « Client », « Fournisseur ».
func Kind(k enum.ThirdPartyKind, l lang.Language) string { return lookup(kinds, k, l) }

type kindStatus struct {
	kind   enum.ThirdPartyKind
	status thirdparty.Status
}

var statusesOfKinds = map[kindStatus]text{
	{enum.Prospect, thirdparty.StatusDRAFT}:     {"Prospect brouillon", "Draft prospect"},
	{enum.Prospect, thirdparty.StatusVALIDATED}: {"Prospect validé", "Validated prospect"},
	{enum.Client, thirdparty.StatusACTIVE}:      {"Client actif", "Active client"},
	{enum.Client, thirdparty.StatusCLOSED}:      {"Client fermé", "Closed client"},
	{enum.Supplier, thirdparty.StatusACTIVE}:    {"Fournisseur actif", "Active supplier"},
	{enum.Other, thirdparty.StatusACTIVE}:       {"Autre tiers actif", "Active third party"},
}

var statuses = map[thirdparty.Status]text{
	thirdparty.StatusDRAFT:     {"Brouillon", "Draft"},
	thirdparty.StatusVALIDATED: {"Validé", "Validated"},
	thirdparty.StatusACTIVE:    {"Actif", "Active"},
	thirdparty.StatusCLOSED:    {"Fermé", "Closed"},
}

// Status is the label of a third party's status, which reads with its
// kind: « Prospect brouillon », « Client fermé ».
func Status(k enum.ThirdPartyKind, s thirdparty.Status, l lang.Language) string {
	if t, ok := statusesOfKinds[kindStatus{k, s}]; ok {
		return t.in(l)
	}
	return lookup(statuses, s, l)
}

var categories = map[linktype.Category]text{
	linktype.CategoryMANAGEMENT: {"Gestion", "Management"},
	linktype.CategoryFILIATION:  {"Filiation", "Filiation"},
}

// Category is the label of a link type's category.
func Category(c linktype.Category, l lang.Language) string { return lookup(categories, c, l) }

var directions = map[linktype.Direction]text{
	linktype.DirectionUP:         {"Ascendant", "Upward"},
	linktype.DirectionDOWN:       {"Descendant", "Downward"},
	linktype.DirectionTRANSVERSE: {"Transverse", "Transverse"},
}

// Direction is the label of a link type's direction.
func Direction(d linktype.Direction, l lang.Language) string { return lookup(directions, d, l) }

var activityTypes = map[activity.Type]text{
	activity.TypeCALL:    {"Appel", "Call"},
	activity.TypeMEETING: {"Rendez-vous", "Meeting"},
	activity.TypeEMAIL:   {"E-mail", "E-mail"},
	activity.TypeTASK:    {"Tâche", "Task"},
	activity.TypeNOTE:    {"Note", "Note"},
}

// ActivityType is the label of an activity's type.
func ActivityType(t activity.Type, l lang.Language) string { return lookup(activityTypes, t, l) }

var fieldTypes = map[customfielddefinition.Type]text{
	customfielddefinition.TypeTEXT:    {"Texte", "Text"},
	customfielddefinition.TypeNUMBER:  {"Nombre", "Number"},
	customfielddefinition.TypeBOOLEAN: {"Oui ou non", "Yes or no"},
	customfielddefinition.TypeDATE:    {"Date", "Date"},
	customfielddefinition.TypeCHOICE:  {"Liste de choix", "Choice list"},
}

// FieldType is the label of a custom field's type.
func FieldType(t customfielddefinition.Type, l lang.Language) string {
	return lookup(fieldTypes, t, l)
}

var auditActions = map[auditevent.Action]text{
	auditevent.ActionCREATE: {"Création", "Creation"},
	auditevent.ActionUPDATE: {"Modification", "Change"},
	auditevent.ActionDELETE: {"Suppression", "Deletion"},
}

// AuditAction is the label of an audit event's action.
func AuditAction(a auditevent.Action, l lang.Language) string { return lookup(auditActions, a, l) }

var searchKinds = map[string]text{
	"CONTACT":  {"Contact", "Contact"},
	"PROSPECT": kinds[enum.Prospect],
	"CLIENT":   kinds[enum.Client],
	"SUPPLIER": kinds[enum.Supplier],
	"OTHER":    kinds[enum.Other],
}

// SearchKind is the label of a search hit's kind (search.Kind).
func SearchKind(k string, l lang.Language) string { return lookup(searchKinds, k, l) }

var printFormats = map[string]text{
	"PDF":   {"PDF", "PDF"},
	"HTML":  {"Page web (HTML)", "Web page (HTML)"},
	"VCARD": {"Carte de visite (vCard)", "Business card (vCard)"},
}

// PrintFormat is the label of a print format (printing.Format).
func PrintFormat(f string, l lang.Language) string { return lookup(printFormats, f, l) }

var features = map[string]text{
	"MANAGEMENT_LINKS": {"Liens de gestion", "Management links"},
	"FILIATION_LINKS":  {"Liens de filiation", "Filiation links"},
}

// Feature is the label of a feature flag.
func Feature(f string, l lang.Language) string { return lookup(features, f, l) }

var languages = map[lang.Language]text{
	lang.FR: {"Français", "French"},
	lang.EN: {"Anglais", "English"},
}

// Language is the name of a language.
func Language(of, l lang.Language) string { return lookup(languages, of, l) }

// Arg is the label of an enum value quoted in an error message (see
// errs.Error.In); ok is false for anything else.
func Arg(v any, l lang.Language) (string, bool) {
	switch v := v.(type) {
	case enum.ThirdPartyKind:
		return Kind(v, l), true
	case thirdparty.Status:
		return lookup(statuses, v, l), true
	case linktype.Category:
		return Category(v, l), true
	case linktype.Direction:
		return Direction(v, l), true
	case activity.Type:
		return ActivityType(v, l), true
	case customfielddefinition.Type:
		return FieldType(v, l), true
	}
	return "", false
}

// PrintFormats are the labels of print formats, in their order.
func PrintFormats[F ~string](fs []F, l lang.Language) []string { return each(fs, l, PrintFormat) }

// Features are the labels of feature flags, in their order.
func Features[F ~string](fs []F, l lang.Language) []string { return each(fs, l, Feature) }

func each[V ~string](vs []V, l lang.Language, label func(string, lang.Language) string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = label(string(v), l)
	}
	return out
}

// OptionalDirection is the label of a direction that may be absent.
func OptionalDirection(d *linktype.Direction, l lang.Language) *string {
	if d == nil {
		return nil
	}
	s := Direction(*d, l)
	return &s
}

var duplicateReasons = map[string]text{
	"SAME_SIREN":   {"Même SIREN", "Same SIREN"},
	"SAME_SIRET":   {"Même SIRET", "Same SIRET"},
	"SAME_VAT":     {"Même numéro de TVA", "Same VAT number"},
	"SAME_EMAIL":   {"Même e-mail", "Same e-mail"},
	"SAME_PHONE":   {"Même téléphone", "Same phone"},
	"SIMILAR_NAME": {"Nom proche", "Similar name"},
}

// DuplicateReason is the label of a reason of a likely duplicate
// (duplicates.Reason).
func DuplicateReason(r string, l lang.Language) string { return lookup(duplicateReasons, r, l) }

// DuplicateReasons is the labels of reasons, in order.
func DuplicateReasons[R ~string](rs []R, l lang.Language) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = DuplicateReason(string(r), l)
	}
	return out
}
