package optional

import (
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

// column records what an update did to one column.
type column struct {
	value   string
	set     bool
	cleared bool
}

func (c *column) Set(v string) *column { c.value, c.set = v, true; return c }
func (c *column) Clear() *column       { c.cleared = true; return c }

func TestApplyLeavesAbsentClearsNullSetsValue(t *testing.T) {
	v := "x"
	for _, tc := range []struct {
		name string
		in   graphql.Omittable[*string]
		want column
	}{
		{"absent", graphql.Omittable[*string]{}, column{}},
		{"null", graphql.OmittableOf[*string](nil), column{cleared: true}},
		{"value", graphql.OmittableOf(&v), column{value: "x", set: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c column
			Apply(tc.in, c.Set, c.Clear)
			if c != tc.want {
				t.Errorf("got %+v, want %+v", c, tc.want)
			}
		})
	}
}
