package gen_test

import (
	"context"
	"io"
	"testing"

	"carnet/ent/filiationlink"
	"carnet/ent/managementlink"
	"carnet/ent/thirdparty"
	"carnet/internal/admin"
	"carnet/internal/db"
	"carnet/internal/filiation"
	"carnet/internal/gen"
	"carnet/internal/rights"
	"carnet/internal/testdb"
	"carnet/internal/viewer"
)

// TestRunCreatesLinksGroupsAndNetworks proves that gen creates management
// links and filiation groups (with a cycle) whose networks and walks work.
func TestRunCreatesLinksGroupsAndNetworks(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		b := newOrg(t, d, "Liens", "l@example.com")
		st, err := gen.Run(context.Background(), d, "Liens", 400, 3, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		checkLinks(t, d, b, st)
		ctx := allRights(b)
		first, err := d.Client.FiliationLink.Query().Where(filiationlink.HasTypeWith()).Order(filiationlink.ByID()).First(ctx)
		if err != nil {
			t.Fatal(err)
		}
		parent := first.ThirdPartyID
		depth := 5
		g, err := filiation.Walk(ctx, d.Client, parent, &depth, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(g.Nodes) != 40 || len(g.Edges) != 40 || g.Truncated {
			t.Fatalf("walk of a group: %d nodes, %d edges, truncated %v; want 40, 40 (39 tree links and a partner cycle)", len(g.Nodes), len(g.Edges), g.Truncated)
		}
	})
}

// allRights is a viewer of b's organisation with every right and both
// kinds of links enabled.
func allRights(b *admin.Bootstrap) context.Context {
	return viewer.NewContext(context.Background(), &viewer.Viewer{
		OrgID: b.Organisation.ID, UserID: b.Admin.ID, CompanyID: b.LoginCompany.ID,
		Rights: rights.NewSet(rights.AllCodes()...), ManagementLinks: true, FiliationLinks: true,
	})
}

// checkLinks verifies the organisation's links against the counts of st:
// one default per ordering party, groups of 40 in one network, both ends
// of every filiation link in one network, and only linked third parties
// in a network.
func checkLinks(t *testing.T, d *db.DB, b *admin.Bootstrap, st gen.Stats) {
	t.Helper()
	ctx := allRights(b)
	if st.FiliationLinks == 0 || st.ManagementLinks == 0 {
		t.Fatalf("no links generated: %+v", st)
	}
	n, err := d.Client.FiliationLink.Query().Count(ctx)
	if err != nil || n != st.FiliationLinks {
		t.Fatalf("filiation links: %d (%v), stats say %d", n, err, st.FiliationLinks)
	}
	if n, err := d.Client.ManagementLink.Query().Count(ctx); err != nil || n != st.ManagementLinks {
		t.Fatalf("management links: %d (%v), stats say %d", n, err, st.ManagementLinks)
	}
	defaults, err := d.Client.ManagementLink.Query().Where(managementlink.IsDefault(true)).Count(ctx)
	if err != nil || defaults != st.ManagementLinks/3 {
		t.Fatalf("one default per ordering party: %d of %d links (%v)", defaults, st.ManagementLinks, err)
	}
	first, err := d.Client.FiliationLink.Query().Where(filiationlink.HasTypeWith()).Order(filiationlink.ByID()).First(ctx)
	if err != nil {
		t.Fatal(err)
	}
	members, err := d.Client.ThirdParty.Query().Where(thirdparty.NetworkID(first.ThirdPartyID)).Count(ctx)
	if err != nil || members != 40 {
		t.Fatalf("group of the parent: %d members (%v), want 40", members, err)
	}
	links, err := d.Client.FiliationLink.Query().WithThirdParty().WithLinkedThirdParty().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	linked := map[int]bool{}
	for _, l := range links {
		a, b := l.Edges.ThirdParty, l.Edges.LinkedThirdParty
		if a.NetworkID == nil || b.NetworkID == nil || *a.NetworkID != *b.NetworkID {
			t.Fatalf("link %d: networks %v and %v", l.ID, a.NetworkID, b.NetworkID)
		}
		linked[a.ID], linked[b.ID] = true, true
	}
	inNetworks, err := d.Client.ThirdParty.Query().Where(thirdparty.NetworkIDNotNil()).Count(ctx)
	if err != nil || inNetworks != len(linked) {
		t.Fatalf("%d third parties have a network (%v), %d are linked", inNetworks, err, len(linked))
	}
}
