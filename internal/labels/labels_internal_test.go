package labels

import (
	"testing"

	"carnet/ent/activity"
	"carnet/ent/auditevent"
	"carnet/ent/customfielddefinition"
	"carnet/ent/linktype"
	"carnet/ent/schema/enum"
	"carnet/ent/thirdparty"
	"carnet/internal/lang"
)

// TestEveryEnumValueHasALabelInEachLanguage fails when a value is added
// to an enum a screen shows without its labels.
func TestEveryEnumValueHasALabelInEachLanguage(t *testing.T) {
	check := func(what string, values []string, has func(string) bool) {
		for _, v := range values {
			if !has(v) {
				t.Errorf("%s %s has no label", what, v)
			}
		}
	}
	check("kind", enum.ThirdPartyKind("").Values(), func(v string) bool { _, ok := kinds[enum.ThirdPartyKind(v)]; return ok })
	var statusValues, categoryValues, directionValues, typeValues, fieldValues, actionValues []string
	for _, s := range []thirdparty.Status{thirdparty.StatusDRAFT, thirdparty.StatusVALIDATED, thirdparty.StatusACTIVE, thirdparty.StatusCLOSED} {
		statusValues = append(statusValues, string(s))
	}
	for _, c := range []linktype.Category{linktype.CategoryMANAGEMENT, linktype.CategoryFILIATION} {
		categoryValues = append(categoryValues, string(c))
	}
	for _, d := range []linktype.Direction{linktype.DirectionUP, linktype.DirectionDOWN, linktype.DirectionTRANSVERSE} {
		directionValues = append(directionValues, string(d))
	}
	for _, a := range []activity.Type{activity.TypeCALL, activity.TypeMEETING, activity.TypeEMAIL, activity.TypeTASK, activity.TypeNOTE} {
		typeValues = append(typeValues, string(a))
	}
	for _, f := range []customfielddefinition.Type{customfielddefinition.TypeTEXT, customfielddefinition.TypeNUMBER,
		customfielddefinition.TypeBOOLEAN, customfielddefinition.TypeDATE, customfielddefinition.TypeCHOICE} {
		fieldValues = append(fieldValues, string(f))
	}
	for _, a := range []auditevent.Action{auditevent.ActionCREATE, auditevent.ActionUPDATE, auditevent.ActionDELETE} {
		actionValues = append(actionValues, string(a))
	}
	check("status", statusValues, func(v string) bool { _, ok := statuses[thirdparty.Status(v)]; return ok })
	check("category", categoryValues, func(v string) bool { _, ok := categories[linktype.Category(v)]; return ok })
	check("direction", directionValues, func(v string) bool { _, ok := directions[linktype.Direction(v)]; return ok })
	check("activity type", typeValues, func(v string) bool { _, ok := activityTypes[activity.Type(v)]; return ok })
	check("custom field type", fieldValues, func(v string) bool { _, ok := fieldTypes[customfielddefinition.Type(v)]; return ok })
	check("audit action", actionValues, func(v string) bool { _, ok := auditActions[auditevent.Action(v)]; return ok })
	for _, tables := range []map[string]text{searchKinds, printFormats, features} {
		for v, tx := range tables {
			if tx.fr == "" || tx.en == "" {
				t.Errorf("%s lacks a label", v)
			}
		}
	}
}

func TestStatusReadsWithTheKind(t *testing.T) {
	for _, tc := range []struct {
		kind   enum.ThirdPartyKind
		status thirdparty.Status
		fr, en string
	}{
		{enum.Prospect, thirdparty.StatusDRAFT, "Prospect brouillon", "Draft prospect"},
		{enum.Prospect, thirdparty.StatusVALIDATED, "Prospect validé", "Validated prospect"},
		{enum.Client, thirdparty.StatusACTIVE, "Client actif", "Active client"},
		{enum.Client, thirdparty.StatusCLOSED, "Client fermé", "Closed client"},
		{enum.Supplier, thirdparty.StatusACTIVE, "Fournisseur actif", "Active supplier"},
		{enum.Other, thirdparty.StatusACTIVE, "Autre tiers actif", "Active third party"},
	} {
		if got := Status(tc.kind, tc.status, lang.FR); got != tc.fr {
			t.Errorf("%s %s fr: %q", tc.kind, tc.status, got)
		}
		if got := Status(tc.kind, tc.status, lang.EN); got != tc.en {
			t.Errorf("%s %s en: %q", tc.kind, tc.status, got)
		}
	}
}
