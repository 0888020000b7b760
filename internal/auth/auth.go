// Package auth issues and checks bearer tokens. A token's secret is 32
// random bytes shown once; only its SHA-256 is stored (a fast hash is
// right for a high-entropy secret: there is nothing to brute-force).
package auth

import (
	"encoding/json"

	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"carnet/ent"
	"carnet/ent/organisation"
	"carnet/ent/privacy"
	"carnet/ent/token"
	"carnet/ent/user"
	"carnet/internal/db/prepared"
	"carnet/internal/errs"
	"carnet/internal/lang"
	"carnet/internal/rights"
	"carnet/internal/viewer"
)

// secretPrefix marks Carnet tokens, so that secret scanners can find a
// leaked one.
const secretPrefix = "carnet_"

// System returns a context that bypasses privacy rules, for the CLI and
// for authentication itself, which runs before there is a viewer.
func System(ctx context.Context) context.Context {
	return privacy.DecisionContext(ctx, privacy.Allow)
}

// Hash returns the stored form of a secret.
func Hash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// newSecret returns a new random secret.
func newSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return secretPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// Issue creates a token for user and returns its secret, shown once.
// It runs with the caller's context: privacy decides who may.
func Issue(ctx context.Context, client *ent.Client, user *ent.User, name string, expiresAt *time.Time) (string, *ent.Token, error) {
	if expiresAt != nil && !expiresAt.After(time.Now()) {
		return "", nil, errs.Invalid("expiresAt", "expiresAt must be in the future")
	}
	secret := newSecret()
	create := client.Token.Create().
		SetOrganisationID(user.OrganisationID).
		SetUserID(user.ID).
		SetHash(Hash(secret)).
		SetNillableExpiresAt(expiresAt)
	if name = strings.TrimSpace(name); name != "" {
		create.SetName(name)
	}
	tok, err := create.Save(ctx)
	if err != nil {
		return "", nil, fmt.Errorf("auth: issue token: %w", err)
	}
	return secret, tok, nil
}

// lastUseResolution is how stale last_used_at may get: it saves a write
// on every request.
const lastUseResolution = time.Minute

// Authenticate returns the viewer of a bearer secret, or UNAUTHENTICATED
// when the token is unknown, revoked or expired.
func Authenticate(ctx context.Context, client *ent.Client, secret string) (*viewer.Viewer, error) {
	v, _, err := authenticate(ctx, client, secret)
	return v, err
}

// authenticate is Authenticate, which also returns until when its answer
// holds without a new look-up: the token's expiry and the next time its
// use is to be recorded, whichever comes first.
func authenticate(ctx context.Context, client *ent.Client, secret string) (*viewer.Viewer, time.Time, error) {
	denied := errs.E(errs.Unauthenticated, "missing, unknown, revoked or expired token")
	if !strings.HasPrefix(secret, secretPrefix) {
		return nil, time.Time{}, denied
	}
	sys := System(ctx)
	// One statement: the token with its user and organisation.
	var rows []struct {
		ID             int        `json:"id"`
		OrganisationID int        `json:"organisation_id"`
		UserID         int        `json:"user_id"`
		ExpiresAt      *time.Time `json:"expires_at"`
		RevokedAt      *time.Time `json:"revoked_at"`
		LastUsedAt     *time.Time `json:"last_used_at"`
		CompanyID      int        `json:"company_id"`
		Rights         string     `json:"rights"`
		Management     bool       `json:"management_links_enabled"`
		Filiation      bool       `json:"filiation_links_enabled"`
		Language       string     `json:"language"`
	}
	err := client.Token.Query().
		Where(token.Hash(Hash(secret))).
		Modify(func(s *sql.Selector) {
			u, o := sql.Table(user.Table).As("u"), sql.Table(organisation.Table).As("o")
			s.Join(u).On(s.C(token.FieldUserID), u.C(user.FieldID)).
				Join(o).On(s.C(token.FieldOrganisationID), o.C(organisation.FieldID)).
				Select(s.C(token.FieldID), s.C(token.FieldOrganisationID), s.C(token.FieldUserID),
					s.C(token.FieldExpiresAt), s.C(token.FieldRevokedAt), s.C(token.FieldLastUsedAt),
					u.C(user.FieldCompanyID), sql.As(castText(s, u.C(user.FieldRights)), "rights"),
					o.C(organisation.FieldManagementLinksEnabled), o.C(organisation.FieldFiliationLinksEnabled),
					o.C(organisation.FieldLanguage))
		}).
		Scan(prepared.With(sys), &rows) // one shape, on every request
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("auth: find token: %w", err)
	}
	if len(rows) == 0 {
		return nil, time.Time{}, denied
	}
	tok := rows[0]
	now := time.Now()
	if tok.RevokedAt != nil || (tok.ExpiresAt != nil && !tok.ExpiresAt.After(now)) {
		return nil, time.Time{}, denied
	}
	used := tok.LastUsedAt
	if used == nil || now.Sub(*used) > lastUseResolution {
		t := now.UTC().Truncate(time.Second)
		if err := client.Token.UpdateOneID(tok.ID).SetLastUsedAt(t).Exec(sys); err != nil {
			return nil, time.Time{}, fmt.Errorf("auth: record token use: %w", err)
		}
		used = &t
	}
	holds := used.Add(lastUseResolution)
	if tok.ExpiresAt != nil && tok.ExpiresAt.Before(holds) {
		holds = *tok.ExpiresAt
	}
	var codes []int
	if err := json.Unmarshal([]byte(tok.Rights), &codes); err != nil {
		return nil, time.Time{}, fmt.Errorf("auth: rights of user %d: %w", tok.UserID, err)
	}
	return &viewer.Viewer{
		OrgID:     tok.OrganisationID,
		UserID:    tok.UserID,
		CompanyID: tok.CompanyID,
		TokenID:   tok.ID,
		Rights:    rights.NewSet(codes...),

		ManagementLinks: tok.Management,
		FiliationLinks:  tok.Filiation,
		Language:        lang.Language(tok.Language).Or(lang.Default),
	}, holds, nil
}

// castText reads a JSON column as text on both dialects.
func castText(s *sql.Selector, col string) string {
	if s.Dialect() == dialect.Postgres {
		return col + "::text"
	}
	return col
}

// Require returns FORBIDDEN unless the viewer of ctx holds one of rs.
func Require(ctx context.Context, rs ...rights.Right) error {
	v := viewer.FromContext(ctx)
	if v == nil {
		return errs.E(errs.Unauthenticated, "authentication required")
	}
	for _, r := range rs {
		if v.Can(r) {
			return nil
		}
	}
	return errs.E(errs.Forbidden, "this needs right %d (%s)", int(rs[0]), rights.Describe(rs[0]))
}
