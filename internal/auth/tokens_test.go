package auth_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

func TestAuth_MissingUnknownRevokedOrExpiredTokenIsUnauthenticated401(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		uid, _ := e.UserWithID(e.TokenA, "rep@alpha.example", apitest.RightRead)

		// A token can only expire in the future.
		e.Fail(e.TokenA, `mutation($id: ID!, $at: Time!) { createToken(userId: $id, expiresAt: $at) { token } }`,
			map[string]any{"id": uid, "at": time.Now().Add(-time.Hour).Format(time.RFC3339)}, "BAD_USER_INPUT", "expiresAt")

		expiry := time.Now().Add(2 * time.Second)
		exp := e.OK(e.TokenA, `mutation($id: ID!, $at: Time!) { createToken(userId: $id, expiresAt: $at) { token info { expiresAt } } }`,
			map[string]any{"id": uid, "at": expiry.Format(time.RFC3339Nano)})
		expiring := apitest.Str(exp, "createToken.token")
		if apitest.Get(exp, "createToken.info.expiresAt") == nil {
			t.Fatalf("expiresAt not recorded: %v", exp)
		}
		if r := e.Do(expiring, `{ me { id } }`, nil); r.Status != http.StatusOK || apitest.Str(r.Data, "me.id") != uid {
			t.Fatalf("a token before its expiry must work: %d %+v", r.Status, r.Errors)
		}

		rv := e.OK(e.TokenA, `mutation($id: ID!) { createToken(userId: $id) { token info { id } } }`, map[string]any{"id": uid})
		revoked := apitest.Str(rv, "createToken.token")
		if r := e.Do(revoked, `{ me { id } }`, nil); r.Status != http.StatusOK {
			t.Fatalf("a token before its revocation must work: %d %+v", r.Status, r.Errors)
		}
		e.OK(e.TokenA, `mutation($id: ID!) { revokeToken(id: $id) }`, map[string]any{"id": apitest.Str(rv, "createToken.info.id")})

		check := func(t *testing.T, header string) {
			t.Helper()
			body, _ := json.Marshal(map[string]any{"query": `{ me { id } }`})
			req, _ := http.NewRequest(http.MethodPost, e.Server.URL+"/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if header != "" {
				req.Header.Set("Authorization", header)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var r apitest.Result
			if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusUnauthorized || r.Code() != "UNAUTHENTICATED" || r.Data != nil {
				t.Fatalf("want 401 UNAUTHENTICATED without data, got %d %+v %v", resp.StatusCode, r.Errors, r.Data)
			}
		}
		for _, tc := range []struct{ name, header string }{
			{"no header", ""},
			{"empty bearer", "Bearer "},
			{"other scheme", "Basic " + e.TokenA},
			{"unknown token", "Bearer carnet_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
			{"not a Carnet token", "Bearer abc"},
			{"revoked token", "Bearer " + revoked},
		} {
			t.Run(tc.name, func(t *testing.T) { check(t, tc.header) })
		}
		time.Sleep(time.Until(expiry) + 200*time.Millisecond)
		t.Run("expired token", func(t *testing.T) { check(t, "Bearer "+expiring) })
	})
}
