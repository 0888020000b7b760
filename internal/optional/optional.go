// Package optional writes the optional fields of update inputs into ent
// updates. gqlgen decodes such a field as graphql.Omittable[*T]: absent
// leaves the column unchanged, null clears it, a value sets it.
package optional

import "github.com/99designs/gqlgen/graphql"

// Apply sets, clears or leaves one column of an ent update, as v says:
// optional.Apply(in.Date, u.SetDate, u.ClearDate).
func Apply[T, R any](v graphql.Omittable[*T], set func(T) R, clear func() R) {
	if p, given := v.ValueOK(); given {
		SetOrClear(p, set, clear)
	}
}

// SetOrClear sets a column to *p, or clears it when p is nil: for a
// value given and then checked or normalised by the caller.
func SetOrClear[T, R any](p *T, set func(T) R, clear func() R) {
	if p == nil {
		clear()
		return
	}
	set(*p)
}
