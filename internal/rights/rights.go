// Package rights is the one catalogue of Carnet's rights (permissions).
//
// The 1915xx codes come from the seed's "DMF" rights; the 1000xx codes are
// Carnet's own, for what a real deployment needs beyond the seed. Every
// check in the code names a constant of this package.
package rights

import (
	"fmt"
	"slices"
)

// Right is a permission a user holds, identified by its numeric code.
type Right int

// The seed's rights.
const (
	ValidateProspect       Right = 191515 // validate a prospect
	SeeClosedClients       Right = 191516 // see closed clients and their contacts
	ReadClientMgmtLinks    Right = 191517 // read the management links of a client
	WriteClientMgmtLinks   Right = 191518 // change the management links of a client
	ReadProspectMgmtLinks  Right = 191519 // read the management links of a prospect
	WriteProspectMgmtLinks Right = 191520 // change the management links of a prospect
	ReadClientFiliation    Right = 191521 // read the filiation links of a client
	WriteClientFiliation   Right = 191522 // change the filiation links of a client
	ReadProspectFiliation  Right = 191523 // read the filiation links of a prospect
	WriteProspectFiliation Right = 191524 // change the filiation links of a prospect
)

// Carnet's own rights.
const (
	ReadAddressBook  Right = 100001 // read third parties, contacts and what hangs on them
	WriteAddressBook Right = 100002 // create and change prospects, contacts and activities
	DeleteRecords    Right = 100003 // delete third parties and contacts
	ManageDocuments  Right = 100004 // upload and delete documents
	Integrate        Right = 100005 // back-office integration: create, convert, close clients
	Administer       Right = 100009 // users, tokens, companies, link types, templates, custom fields, settings
)

// description of every known right, in code order.
var catalogue = map[Right]string{
	ValidateProspect:       "validate a prospect",
	SeeClosedClients:       "see closed clients and their contacts",
	ReadClientMgmtLinks:    "read the management links of a client",
	WriteClientMgmtLinks:   "change the management links of a client",
	ReadProspectMgmtLinks:  "read the management links of a prospect",
	WriteProspectMgmtLinks: "change the management links of a prospect",
	ReadClientFiliation:    "read the filiation links of a client",
	WriteClientFiliation:   "change the filiation links of a client",
	ReadProspectFiliation:  "read the filiation links of a prospect",
	WriteProspectFiliation: "change the filiation links of a prospect",
	ReadAddressBook:        "read the address book",
	WriteAddressBook:       "create and change prospects and contacts",
	DeleteRecords:          "delete third parties and contacts",
	ManageDocuments:        "upload and delete documents",
	Integrate:              "back-office integration of clients",
	Administer:             "administer the organisation",
}

// Known reports whether r is a right Carnet knows.
func Known(r Right) bool { _, ok := catalogue[r]; return ok }

// Describe returns the human description of r.
func Describe(r Right) string { return catalogue[r] }

// All returns every known right in ascending code order.
func All() []Right {
	all := make([]Right, 0, len(catalogue))
	for r := range catalogue {
		all = append(all, r)
	}
	slices.Sort(all)
	return all
}

// Set is the set of rights a user holds.
type Set map[Right]struct{}

// NewSet builds a set from codes.
func NewSet(codes ...int) Set {
	s := make(Set, len(codes))
	for _, c := range codes {
		s[Right(c)] = struct{}{}
	}
	return s
}

// Has reports whether the set holds r.
func (s Set) Has(r Right) bool { _, ok := s[r]; return ok }

// Parse checks that every code is a known right and returns them sorted and
// without duplicates.
func Parse(codes []int) ([]int, error) {
	out := make([]int, 0, len(codes))
	for _, c := range codes {
		if !Known(Right(c)) {
			return nil, fmt.Errorf("unknown right %d", c)
		}
		out = append(out, c)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// AllCodes returns every known right as plain codes.
func AllCodes() []int {
	var out []int
	for _, r := range All() {
		out = append(out, int(r))
	}
	return out
}
