package server

import (
	"os"
	"strings"
	"testing"
)

// Every where input that ent generates has its empty-input error in
// emptyWhereInputs, so that an empty nested filter is BAD_USER_INPUT.
func TestEmptyWhereInputs_CoverTheGeneratedWhereInputs(t *testing.T) {
	src, err := os.ReadFile("../../ent/gql_where_input.go")
	if err != nil {
		t.Fatal(err)
	}
	var generated []string
	for _, line := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(line, "var ErrEmpty") {
			generated = append(generated, strings.Fields(line)[1])
		}
	}
	if len(generated) == 0 || len(generated) != len(emptyWhereInputs) {
		t.Fatalf("ent generates %v; emptyWhereInputs has %d", generated, len(emptyWhereInputs))
	}
}
