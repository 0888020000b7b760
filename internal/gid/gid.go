// Package gid encodes Carnet's Relay global IDs.
//
// ent allocates IDs from a range per type (the sql/globalid feature), so an
// integer ID alone names both the type and the row. The API shows it as an
// opaque string so that clients never build or compute IDs: base64url of
// "carnet:<int>".
package gid

import (
	"encoding/base64"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
)

const prefix = "carnet:"

// ID is the GraphQL ID scalar's Go type: an ent integer ID.
type ID = int

// Encode returns the opaque global ID of an ent ID.
func Encode(id int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(prefix + strconv.Itoa(id)))
}

// Decode returns the ent ID of an opaque global ID.
func Decode(s string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil || !strings.HasPrefix(string(b), prefix) {
		return 0, fmt.Errorf("%q is not a Carnet ID", s)
	}
	id, err := strconv.Atoi(strings.TrimPrefix(string(b), prefix))
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%q is not a Carnet ID", s)
	}
	return id, nil
}

// MarshalID writes an ent ID as an opaque global ID.
func MarshalID(id int) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(Encode(id)))
	})
}

// UnmarshalID reads an opaque global ID.
func UnmarshalID(v any) (int, error) {
	s, ok := v.(string)
	if !ok {
		return 0, fmt.Errorf("an ID must be a string, got %T", v)
	}
	return Decode(s)
}
