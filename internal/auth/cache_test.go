package auth_test

import (
	"context"
	"testing"
	"time"

	"carnet/ent"
	"carnet/internal/admin"
	"carnet/internal/auth"
	"carnet/internal/db"
	"carnet/internal/errs"
	"carnet/internal/rights"
	"carnet/internal/testdb"
)

// fixture is an organisation with its administrator and a token.
type fixture struct {
	d      *db.DB
	b      *admin.Bootstrap
	secret string
	token  *ent.Token
}

func newFixture(t testing.TB, d *db.DB, expiresAt *time.Time) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{d: d}
	err := db.WithTx(ctx, d.Client, func(tx *ent.Client) error {
		var err error
		f.b, err = admin.CreateOrganisation(ctx, tx, "Cache", "cache@example.com")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	f.secret, f.token = f.issue(t, expiresAt)
	return f
}

func (f *fixture) issue(t testing.TB, expiresAt *time.Time) (string, *ent.Token) {
	t.Helper()
	secret, tok, err := auth.Issue(auth.System(context.Background()), f.d.Client, f.b.Admin, "test", expiresAt)
	if err != nil {
		t.Fatal(err)
	}
	return secret, tok
}

// revokeBehindTheCache revokes a token with plain SQL, as another process
// would: no ent hook sees it.
func (f *fixture) revokeBehindTheCache(t *testing.T, tok *ent.Token) {
	t.Helper()
	q := "UPDATE tokens SET revoked_at = ? WHERE id = ?"
	if f.d.Dialect == "postgres" {
		q = "UPDATE tokens SET revoked_at = $1 WHERE id = $2"
	}
	if _, err := f.d.SQL.Exec(q, time.Now().UTC(), tok.ID); err != nil {
		t.Fatal(err)
	}
}

func accepted(t *testing.T, c *auth.Cache, f *fixture, secret string) bool {
	t.Helper()
	v, err := c.Authenticate(context.Background(), f.d.Client, secret)
	if err != nil {
		if e, ok := errs.As(err); ok && e.Code == errs.Unauthenticated {
			return false
		}
		t.Fatal(err)
	}
	if v.UserID != f.b.Admin.ID || v.OrgID != f.b.Organisation.ID {
		t.Fatalf("viewer %+v, want the administrator of organisation %d", v, f.b.Organisation.ID)
	}
	return true
}

// TestCacheReusesViewersUntilAChangeHere: a cached viewer is reused (a
// revocation by another process goes unseen within the TTL), but any
// change of a token, a user or an organisation made through ent here
// makes it stale at once, even one made in a transaction and seen before
// its commit.
func TestCacheReusesViewersUntilAChangeHere(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, nil)
		c := auth.NewCache(10, time.Hour)
		if !accepted(t, c, f, f.secret) {
			t.Fatal("a fresh token was refused")
		}
		f.revokeBehindTheCache(t, f.token)
		if !accepted(t, c, f, f.secret) {
			t.Fatal("the cache did not answer: the revocation behind it was seen")
		}
		// Without a cache, every request looks the token up.
		if accepted(t, nil, f, f.secret) || accepted(t, auth.NewCache(10, 0), f, f.secret) {
			t.Fatal("no cache, yet a revoked token was accepted")
		}

		// Another token's first use records it (an update of that token):
		// that changes no viewer and keeps the cache.
		secret2, tok2 := f.issue(t, nil)
		if !accepted(t, c, f, secret2) {
			t.Fatal("a second token was refused")
		}
		if !accepted(t, c, f, f.secret) {
			t.Fatal("recording a token's use emptied the cache")
		}

		// A change through ent: the rights of the user.
		ctx := auth.System(context.Background())
		if err := d.Client.User.UpdateOne(f.b.Admin).SetRights([]int{int(rights.ReadAddressBook)}).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if accepted(t, c, f, f.secret) {
			t.Fatal("a token revoked behind the cache was accepted after a change of its user")
		}
		v, err := c.Authenticate(context.Background(), d.Client, secret2)
		if err != nil {
			t.Fatal(err)
		}
		if v.Rights.Has(rights.Administer) || !v.Rights.Has(rights.ReadAddressBook) {
			t.Fatalf("rights after the change: %v", v.Rights)
		}

		// A revocation in a transaction: the cache may be refilled from
		// the committed state before the commit; the commit empties it.
		tx, err := d.Client.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.Token.UpdateOneID(tok2.ID).SetRevokedAt(time.Now()).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if d.Dialect == "postgres" { // SQLite's single writer blocks readers' locks here
			if !accepted(t, c, f, secret2) {
				t.Fatal("an uncommitted revocation was seen")
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if accepted(t, c, f, secret2) {
			t.Fatal("a token revoked in a committed transaction was accepted")
		}
	})
}

// TestCacheNeverOutlivesATokensExpiry: a token expiring before the TTL is
// refused from its expiry on.
func TestCacheNeverOutlivesATokensExpiry(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		expiry := time.Now().Add(1500 * time.Millisecond)
		f := newFixture(t, d, &expiry)
		c := auth.NewCache(10, time.Hour)
		if !accepted(t, c, f, f.secret) {
			t.Fatal("a token was refused before its expiry")
		}
		time.Sleep(time.Until(expiry) + 100*time.Millisecond)
		if accepted(t, c, f, f.secret) {
			t.Fatal("an expired token was accepted from the cache")
		}
	})
}
