// Package gid encodes Carnet's Relay global IDs.
//
// ent allocates IDs from a range per type (the sql/globalid feature), so an
// integer ID alone names both the type and the row. The API shows it as an
// opaque string so that clients never build or compute IDs: base64url of
// "carnet:<int>".
package gid

import (
	"encoding/base64"
	"io"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"carnet/internal/errs"
)

const prefix = "carnet:"

// ID is the GraphQL ID scalar's Go type: an ent integer ID.
type ID = int

// Encode returns the opaque global ID of an ent ID.
func Encode(id int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(prefix + strconv.Itoa(id)))
}

// Decode returns the ent ID of an opaque global ID, or BAD_USER_INPUT.
func Decode(s string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil || !strings.HasPrefix(string(b), prefix) {
		return 0, notAnID(s)
	}
	id, err := strconv.Atoi(strings.TrimPrefix(string(b), prefix))
	if err != nil || id <= 0 {
		return 0, notAnID(s)
	}
	return id, nil
}

// notAnID is the error of a string that is not a Carnet ID. The field is
// filled in by the error presenter from the argument's path.
func notAnID(s string) error {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return errs.Invalid("", "%q is not a Carnet ID", s)
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
		return 0, errs.Invalid("", "an ID must be a string, got %T", v)
	}
	return Decode(s)
}
