// Package viewer carries who is acting (user, organisation, rights) in a
// context.Context. Every tenant and rights rule reads it from there.
package viewer

import (
	"context"

	"carnet/internal/lang"
	"carnet/internal/rights"
)

// Viewer is the authenticated user on whose behalf a request runs. One
// Viewer may serve several requests at once (auth.Cache): never modify
// one, derive a copy (as WithClosedClients does).
type Viewer struct {
	OrgID     int
	UserID    int
	CompanyID int
	TokenID   int
	Rights    rights.Set
	// Features of the organisation switched on, read at authentication.
	ManagementLinks, FiliationLinks bool
	// Language of the organisation, read at authentication: the request's
	// language when it sends no Accept-Language, and the printed sheets'.
	Language lang.Language
}

// Can reports whether the viewer holds right r.
func (v *Viewer) Can(r rights.Right) bool { return v != nil && v.Rights.Has(r) }

// SeesClosedClients reports whether closed clients and their contacts
// exist for the viewer (right 191516).
func (v *Viewer) SeesClosedClients() bool { return v.Can(rights.SeeClosedClients) }

// WithClosedClients returns ctx whose viewer also sees closed clients:
// for the back office's upsert by client code, which must find a closed
// client to reopen it, whatever the integration user may read.
func WithClosedClients(ctx context.Context) context.Context {
	v := FromContext(ctx)
	if v == nil || v.SeesClosedClients() {
		return ctx
	}
	elevated := *v
	elevated.Rights = make(rights.Set, len(v.Rights)+1)
	for r := range v.Rights {
		elevated.Rights[r] = struct{}{}
	}
	elevated.Rights[rights.SeeClosedClients] = struct{}{}
	return NewContext(ctx, &elevated)
}

type ctxKey struct{}

// NewContext returns ctx carrying v.
func NewContext(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, ctxKey{}, v)
}

// FromContext returns the viewer of ctx, or nil when there is none.
func FromContext(ctx context.Context) *Viewer {
	v, _ := ctx.Value(ctxKey{}).(*Viewer)
	return v
}
