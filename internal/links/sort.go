package links

import (
	"slices"
	"strings"

	"carnet/ent"
)

func sortByName(tps []*ent.ThirdParty) {
	slices.SortFunc(tps, func(a, b *ent.ThirdParty) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return a.ID - b.ID
	})
}
