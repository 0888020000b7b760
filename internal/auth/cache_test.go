package auth_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/lib/pq"

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

// TestCacheDropsOnlyTheViewersAChangeConcerns: a change of one user
// drops that user's cached viewers and keeps the others (a revocation
// behind the cache shows which were dropped).
func TestCacheDropsOnlyTheViewersAChangeConcerns(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, nil)
		ctx := auth.System(context.Background())
		rep, err := d.Client.User.Create().SetOrganisationID(f.b.Organisation.ID).SetEmail("rep@cache.example").SetName("Rep").
			SetCompanyID(f.b.Admin.CompanyID).SetRights([]int{int(rights.ReadAddressBook)}).Save(ctx)
		if err != nil {
			t.Fatal(err)
		}
		repSecret, repToken, err := auth.Issue(ctx, d.Client, rep, "rep", nil)
		if err != nil {
			t.Fatal(err)
		}
		c := auth.NewCache(10, time.Hour)
		for _, s := range []string{f.secret, repSecret} {
			if _, err := c.Authenticate(context.Background(), d.Client, s); err != nil {
				t.Fatal(err)
			}
		}
		f.revokeBehindTheCache(t, f.token)
		f.revokeBehindTheCache(t, repToken)
		if err := d.Client.User.UpdateOne(rep).SetName("Rep 2").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Authenticate(context.Background(), d.Client, repSecret); err == nil {
			t.Fatal("the changed user's token, revoked behind the cache, was accepted: its entry stayed")
		}
		if !accepted(t, c, f, f.secret) {
			t.Fatal("another user's entry was dropped by a change of the rep")
		}
		// An organisation's change drops its viewers.
		if err := d.Client.Organisation.UpdateOne(f.b.Organisation).SetFiliationLinksEnabled(true).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if accepted(t, c, f, f.secret) {
			t.Fatal("a change of the organisation kept its viewers")
		}
	})
}

// listening starts c listening on d (PostgreSQL only) under an
// application_name of the test's own, and waits until it serves.
func listening(t *testing.T, c *auth.Cache, d *db.DB) (app string) {
	t.Helper()
	if d.Dialect != "postgres" {
		t.Skip("LISTEN/NOTIFY is PostgreSQL's")
	}
	u, err := url.Parse(d.URL)
	if err != nil {
		t.Fatal(err)
	}
	app = fmt.Sprintf("carnet-test-%d", time.Now().UnixNano())
	q := u.Query()
	q.Set("application_name", app)
	u.RawQuery = q.Encode()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := c.Listen(ctx, u.String(), slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the cache to listen", c.Serving)
	return app + "-auth-listener"
}

// waitFor polls cond for up to 10 s (a bound on a broken test, not a
// measure).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10 s for %s", what)
		}
	}
}

// TestListeningCacheDropsWhatANotificationNames: another process's
// change arrives as a notification on carnet_auth, which drops the
// entries it names.
func TestListeningCacheDropsWhatANotificationNames(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, nil)
		c := auth.NewCache(10, time.Hour)
		listening(t, c, d)
		if !accepted(t, c, f, f.secret) {
			t.Fatal("a fresh token was refused")
		}
		f.revokeBehindTheCache(t, f.token)
		if _, err := d.SQL.Exec("SELECT pg_notify($1, $2)", auth.Channel, fmt.Sprintf("token:%d", f.token.ID)); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the notification to drop the token", func() bool { return !accepted(t, c, f, f.secret) })
	})
}

// TestCacheThatCannotListenReadsEveryToken: until a cache listens, it
// reads every token.
func TestCacheThatCannotListenReadsEveryToken(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, nil)
		c := auth.NewCache(10, time.Hour)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		// Nothing listens on port 1.
		if err := c.Listen(ctx, "postgres://carnet@127.0.0.1:1/carnet?sslmode=disable&connect_timeout=1", slog.New(slog.DiscardHandler)); err != nil {
			t.Fatal(err)
		}
		if !accepted(t, c, f, f.secret) {
			t.Fatal("a fresh token was refused")
		}
		f.revokeBehindTheCache(t, f.token)
		if accepted(t, c, f, f.secret) || c.Serving() || c.Len() != 0 {
			t.Fatalf("a cache that does not listen served (serving %v, %d entries)", c.Serving(), c.Len())
		}
	})
}

// TestCacheEmptiedWhenItsListenerIsCut: the listening connection is
// terminated, so notifications may be lost: the cache stops serving,
// and listens again empty. A token revoked with no notification at all
// is refused from then on.
func TestCacheEmptiedWhenItsListenerIsCut(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, nil)
		c := auth.NewCache(10, time.Hour)
		app := listening(t, c, d)
		if !accepted(t, c, f, f.secret) || c.Len() != 1 {
			t.Fatalf("a fresh token: %d entries", c.Len())
		}
		gaps := c.Gaps()
		var killed int
		if err := d.SQL.QueryRow("SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity WHERE application_name = $1", app).Scan(&killed); err != nil || killed != 1 {
			t.Fatalf("terminated %d listening connections (%v), want 1", killed, err)
		}
		waitFor(t, "the cache to notice", func() bool { return c.Gaps() > gaps })
		f.revokeBehindTheCache(t, f.token)
		if accepted(t, c, f, f.secret) {
			t.Fatal("a token revoked while the listener was cut was accepted")
		}
		waitFor(t, "the cache to listen again", c.Serving)
		if accepted(t, c, f, f.secret) {
			t.Fatal("a token revoked while the listener was cut was accepted after it came back")
		}
	})
}

// TestChangesNotifyAtTheirCommit: a revocation in a transaction sends
// token:<id> on carnet_auth when it commits, not before: a notification
// sent meanwhile outside it arrives first.
func TestChangesNotifyAtTheirCommit(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		if d.Dialect != "postgres" {
			t.Skip("LISTEN/NOTIFY is PostgreSQL's")
		}
		f := newFixture(t, d, nil)
		l := pq.NewListener(d.URL, time.Millisecond, time.Second, nil)
		defer l.Close()
		if err := l.Listen(auth.Channel); err != nil {
			t.Fatal(err)
		}
		ctx := auth.System(context.Background())
		tx, err := d.Client.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.Token.UpdateOneID(f.token.ID).SetRevokedAt(time.Now()).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		marker := fmt.Sprintf("marker:%d", time.Now().UnixNano())
		if _, err := d.SQL.Exec("SELECT pg_notify($1, $2)", auth.Channel, marker); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		want := []string{marker, fmt.Sprintf("token:%d", f.token.ID)}
		var got []string
		for len(got) < len(want) {
			select {
			case n := <-l.Notify:
				if n != nil && (n.Extra == want[0] || n.Extra == want[1]) { // other tests share the channel
					got = append(got, n.Extra)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("notifications after 10 s: %q, want %q", got, want)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("notifications %q, want %q", got, want)
		}
	})
}
