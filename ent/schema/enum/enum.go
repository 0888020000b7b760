// Package enum holds the Go enum types shared by several ent schemas.
package enum

import (
	"fmt"
	"io"
	"slices"
	"strconv"
)

// ThirdPartyKind is the kind of a third party.
type ThirdPartyKind string

// The kinds of third parties.
const (
	Client   ThirdPartyKind = "CLIENT"
	Prospect ThirdPartyKind = "PROSPECT"
	Supplier ThirdPartyKind = "SUPPLIER"
	Other    ThirdPartyKind = "OTHER"
)

// Values lists the kinds for ent's enum fields.
func (ThirdPartyKind) Values() []string {
	return []string{string(Client), string(Prospect), string(Supplier), string(Other)}
}

// String returns the GraphQL name of the kind.
func (k ThirdPartyKind) String() string { return string(k) }

// MarshalGQL writes the kind as a GraphQL enum value.
func (k ThirdPartyKind) MarshalGQL(w io.Writer) {
	_, _ = io.WriteString(w, strconv.Quote(string(k)))
}

// UnmarshalGQL reads a GraphQL enum value.
func (k *ThirdPartyKind) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("ThirdPartyKind must be a string, got %T", v)
	}
	if !slices.Contains(ThirdPartyKind("").Values(), s) {
		return fmt.Errorf("%q is not a valid ThirdPartyKind", s)
	}
	*k = ThirdPartyKind(s)
	return nil
}
