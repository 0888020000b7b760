// Package customfield validates and presents the custom fields that an
// organisation defines per kind of third party, for the records of that
// kind (entity THIRD_PARTY) or for their contacts (entity CONTACT).
// Values are stored typed in the record's custom_fields JSON column:
// strings for TEXT, CHOICE and DATE (YYYY-MM-DD), numbers for NUMBER,
// booleans for BOOLEAN.
package customfield

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"carnet/ent"
	"carnet/ent/customfielddefinition"
	"carnet/ent/schema/enum"
	"carnet/internal/auth"
	"carnet/internal/errs"
	"carnet/internal/rights"
)

// maxText is the longest TEXT value.
const maxText = 1000

// ValueInput is a value to write; a nil Value clears the field.
type ValueInput struct {
	Key   string  `json:"key"`
	Value *string `json:"value"`
}

// Value is a custom field of a record, as the API shows it: the value
// with what a form needs to draw and check the field.
type Value struct {
	Key      string                     `json:"key"`
	Label    string                     `json:"label"`
	Type     customfielddefinition.Type `json:"type"`
	Required bool                       `json:"required"`
	Choices  []string                   `json:"choices"`
	Value    *string                    `json:"value"`
}

// Definitions returns the definitions of the records of kind, in
// definition order.
func Definitions(ctx context.Context, client *ent.Client, kind enum.ThirdPartyKind) ([]*ent.CustomFieldDefinition, error) {
	return DefinitionsOf(ctx, client, customfielddefinition.EntityTHIRD_PARTY, kind)
}

// DefinitionsOf returns the definitions of entity (third parties or
// contacts) of kind, in definition order.
func DefinitionsOf(ctx context.Context, client *ent.Client, entity customfielddefinition.Entity, kind enum.ThirdPartyKind) ([]*ent.CustomFieldDefinition, error) {
	defs, err := client.CustomFieldDefinition.Query().
		Where(customfielddefinition.EntityEQ(entity), customfielddefinition.TargetEQ(kind)).
		Order(ent.Asc(customfielddefinition.FieldID)).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("customfield: definitions of %s %s: %w", entity, kind, err)
	}
	return defs, nil
}

// Apply returns the custom values of a record of kind after writing
// inputs over current, checking types, choices and required fields. Every
// invalid field is reported (an errs.List).
func Apply(ctx context.Context, client *ent.Client, kind enum.ThirdPartyKind, current map[string]any, inputs []*ValueInput) (map[string]any, error) {
	return ApplyTo(ctx, client, customfielddefinition.EntityTHIRD_PARTY, kind, current, inputs)
}

// ApplyTo is Apply for a record of entity: a contact's fields are those of
// the contacts of its third party's kind.
func ApplyTo(ctx context.Context, client *ent.Client, entity customfielddefinition.Entity, kind enum.ThirdPartyKind, current map[string]any, inputs []*ValueInput) (map[string]any, error) {
	defs, err := DefinitionsOf(ctx, client, entity, kind)
	if err != nil {
		return nil, err
	}
	out := make(map[string]any, len(current)+len(inputs))
	for k, v := range current {
		out[k] = v
	}
	var problems errs.List
	for _, in := range inputs {
		i := slices.IndexFunc(defs, func(d *ent.CustomFieldDefinition) bool { return d.Key == in.Key })
		if i < 0 {
			if entity == customfielddefinition.EntityCONTACT {
				problems = append(problems, errs.Invalid("customFields."+in.Key, "no custom field %q is defined for contacts of %s records", in.Key, kind))
			} else {
				problems = append(problems, errs.Invalid("customFields."+in.Key, "no custom field %q is defined for %s records", in.Key, kind))
			}
			continue
		}
		if in.Value == nil || strings.TrimSpace(*in.Value) == "" {
			delete(out, in.Key)
			continue
		}
		v, err := parse(defs[i], strings.TrimSpace(*in.Value))
		if err != nil {
			problems = append(problems, errs.Invalid("customFields."+in.Key, "%s: %v", in.Key, err))
			continue
		}
		out[in.Key] = v
	}
	for _, d := range defs {
		if _, ok := out[d.Key]; d.Required && !ok && !problems.Has("customFields."+d.Key) {
			problems = append(problems, errs.Invalid("customFields."+d.Key, "custom field %q is required", d.Key))
		}
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Fit returns the values of another kind's record (a prospect's, being
// converted into a client) that fit the definitions defs, each read again
// as its text under the definition of its key ("12" becomes the number 12
// for a NUMBER field), and whether any was dropped: a value with no
// definition of its key, or whose text the definition refuses (not a
// number, not one of the choices...).
func Fit(defs []*ent.CustomFieldDefinition, values map[string]any) (kept map[string]any, dropped bool) {
	kept = make(map[string]any, len(values))
	for k, v := range values {
		i := slices.IndexFunc(defs, func(d *ent.CustomFieldDefinition) bool { return d.Key == k })
		if i < 0 {
			dropped = true
			continue
		}
		fit, err := parse(defs[i], format(v))
		if err != nil {
			dropped = true
			continue
		}
		kept[k] = fit
	}
	return kept, dropped
}

// parse turns the text of a value into its stored form.
func parse(d *ent.CustomFieldDefinition, s string) (any, error) {
	switch d.Type {
	case customfielddefinition.TypeNUMBER:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("%q is not a number", s) // NaN and Inf are not numbers JSON can hold
		}
		return f, nil
	case customfielddefinition.TypeBOOLEAN:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return nil, fmt.Errorf("%q is not true or false", s)
		}
		return b, nil
	case customfielddefinition.TypeDATE:
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return nil, fmt.Errorf("%q is not a date YYYY-MM-DD", s)
		}
		return s, nil
	case customfielddefinition.TypeCHOICE:
		if !slices.Contains(d.Choices, s) {
			return nil, fmt.Errorf("%q is not one of %s", s, strings.Join(d.Choices, ", "))
		}
		return s, nil
	default:
		if utf8.RuneCountInString(s) > maxText {
			return nil, fmt.Errorf("longer than %d characters", maxText)
		}
		return s, nil
	}
}

// Present lists the custom fields of a record of kind, one per definition.
func Present(defs []*ent.CustomFieldDefinition, values map[string]any) []*Value {
	out := make([]*Value, 0, len(defs))
	for _, d := range defs {
		v := &Value{Key: d.Key, Label: d.Label, Type: d.Type, Required: d.Required, Choices: d.Choices}
		if v.Choices == nil {
			v.Choices = []string{}
		}
		if raw, ok := values[d.Key]; ok {
			s := format(raw)
			v.Value = &s
		}
		out = append(out, v)
	}
	return out
}

// format writes a stored value as text.
func format(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case string:
		return x
	default:
		return fmt.Sprint(x)
	}
}

// DefineInput defines or redefines a custom field.
type DefineInput struct {
	Entity   *customfielddefinition.Entity `json:"entity"` // nil: THIRD_PARTY
	Target   enum.ThirdPartyKind           `json:"target"`
	Key      string                        `json:"key"`
	Label    string                        `json:"label"`
	Type     customfielddefinition.Type    `json:"type"`
	Required *bool                         `json:"required"`
	Choices  []string                      `json:"choices"`
}

// Define creates the definition of (target, key), or updates it (right
// 100009).
func Define(ctx context.Context, client *ent.Client, in DefineInput) (*ent.CustomFieldDefinition, error) {
	if err := auth.Require(ctx, rights.Administer); err != nil {
		return nil, err
	}
	in.Key, in.Label = strings.TrimSpace(in.Key), strings.TrimSpace(in.Label)
	if err := customfielddefinition.KeyValidator(in.Key); err != nil {
		return nil, errs.Invalid("key", "key must be lower-case letters, digits and underscores, starting with a letter, 40 at most")
	}
	if in.Label == "" || utf8.RuneCountInString(in.Label) > 100 {
		return nil, errs.Invalid("label", "label must have 1 to 100 characters")
	}
	var choices []string
	for _, c := range in.Choices {
		if c = strings.TrimSpace(c); c != "" && !slices.Contains(choices, c) {
			choices = append(choices, c)
		}
	}
	if in.Type == customfielddefinition.TypeCHOICE && len(choices) == 0 {
		return nil, errs.Invalid("choices", "a CHOICE field needs choices")
	}
	if in.Type != customfielddefinition.TypeCHOICE && len(choices) > 0 {
		return nil, errs.Invalid("choices", "only a CHOICE field has choices")
	}
	entity := customfielddefinition.EntityTHIRD_PARTY
	if in.Entity != nil {
		entity = *in.Entity
	}
	if entity == customfielddefinition.EntityCONTACT && in.Target != enum.Client && in.Target != enum.Prospect {
		return nil, errs.Invalid("target", "contacts belong to prospects and clients: the target of a CONTACT field is PROSPECT or CLIENT")
	}
	required := in.Required != nil && *in.Required
	existing, err := client.CustomFieldDefinition.Query().
		Where(customfielddefinition.EntityEQ(entity), customfielddefinition.TargetEQ(in.Target), customfielddefinition.Key(in.Key)).
		Only(ctx)
	switch {
	case ent.IsNotFound(err):
		return client.CustomFieldDefinition.Create().
			SetEntity(entity).SetTarget(in.Target).SetKey(in.Key).SetLabel(in.Label).SetType(in.Type).
			SetRequired(required).SetChoices(choices).
			Save(ctx)
	case err != nil:
		return nil, fmt.Errorf("customfield: define %s: %w", in.Key, err)
	}
	if existing.Type != in.Type {
		return nil, errs.Invalid("type", "custom field %q is %s: its type cannot change", in.Key, existing.Type)
	}
	return existing.Update().SetLabel(in.Label).SetRequired(required).SetChoices(choices).Save(ctx)
}
