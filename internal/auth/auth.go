// Package auth issues and checks bearer tokens. A token's secret is 32
// random bytes shown once; only its SHA-256 is stored (a fast hash is
// right for a high-entropy secret: there is nothing to brute-force).
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"carnet/ent"
	"carnet/ent/privacy"
	"carnet/ent/token"
	"carnet/internal/errs"
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
	denied := errs.E(errs.Unauthenticated, "missing, unknown, revoked or expired token")
	if !strings.HasPrefix(secret, secretPrefix) {
		return nil, denied
	}
	sys := System(ctx)
	tok, err := client.Token.Query().
		Where(token.Hash(Hash(secret))).
		WithUser().
		WithOrganisation().
		Only(sys)
	if ent.IsNotFound(err) {
		return nil, denied
	}
	if err != nil {
		return nil, fmt.Errorf("auth: find token: %w", err)
	}
	now := time.Now()
	if tok.RevokedAt != nil || (tok.ExpiresAt != nil && !tok.ExpiresAt.After(now)) {
		return nil, denied
	}
	if tok.LastUsedAt == nil || now.Sub(*tok.LastUsedAt) > lastUseResolution {
		if err := client.Token.UpdateOneID(tok.ID).SetLastUsedAt(now.Truncate(time.Second)).Exec(sys); err != nil {
			return nil, fmt.Errorf("auth: record token use: %w", err)
		}
	}
	u := tok.Edges.User
	return &viewer.Viewer{
		OrgID:     tok.OrganisationID,
		UserID:    u.ID,
		CompanyID: u.CompanyID,
		TokenID:   tok.ID,
		Rights:    rights.NewSet(u.Rights...),

		ManagementLinks: tok.Edges.Organisation.ManagementLinksEnabled,
		FiliationLinks:  tok.Edges.Organisation.FiliationLinksEnabled,
	}, nil
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
