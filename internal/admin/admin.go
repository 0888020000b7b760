// Package admin administers an organisation: its creation (carnet init),
// companies, users and their rights, tokens and feature flags. Like
// addressbook, it works with the ent client it is given, inside the
// caller's transaction.
package admin

import (
	"context"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"carnet/ent"
	"carnet/ent/company"
	"carnet/ent/token"
	"carnet/ent/user"
	"carnet/internal/auth"
	"carnet/internal/db/rowlock"
	"carnet/internal/errs"
	"carnet/internal/lang"
	"carnet/internal/links"
	"carnet/internal/printing"
	"carnet/internal/rights"
	"carnet/internal/viewer"
)

// Feature is a feature flag of an organisation.
type Feature string

// The feature flags.
const (
	ManagementLinks Feature = "MANAGEMENT_LINKS"
	FiliationLinks  Feature = "FILIATION_LINKS"
)

// Features lists the features switched on for org.
func Features(org *ent.Organisation) []Feature {
	var out []Feature
	if org.ManagementLinksEnabled {
		out = append(out, ManagementLinks)
	}
	if org.FiliationLinksEnabled {
		out = append(out, FiliationLinks)
	}
	return out
}

// Bootstrap is what CreateOrganisation made.
type Bootstrap struct {
	Organisation  *ent.Organisation
	SharedCompany *ent.Company
	LoginCompany  *ent.Company
	Admin         *ent.User
	// Token is the administrator's bearer secret, shown once.
	Token string
}

// CreateOrganisation creates an organisation with its shared company, a
// login company named after it, the standard link types (DONORDRE,
// CL_A_FACT, SITE_LIV and the usual filiation types, on the shared
// company), the default record-sheet template and an administrator
// holding every right.
// It runs as the system (the CLI): ctx needs no viewer.
func CreateOrganisation(ctx context.Context, client *ent.Client, name, adminEmail string) (*Bootstrap, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, errs.Invalid("org", "the organisation needs a name")
	}
	email, err := checkEmail(adminEmail)
	if err != nil {
		return nil, err
	}
	sys := auth.System(ctx)
	org, err := client.Organisation.Create().SetName(name).Save(sys)
	if err != nil {
		return nil, fmt.Errorf("admin: create organisation: %w", err)
	}
	shared, err := client.Company.Create().SetOrganisationID(org.ID).SetName(name + " (groupe)").SetShared(true).Save(sys)
	if err != nil {
		return nil, fmt.Errorf("admin: create shared company: %w", err)
	}
	login, err := client.Company.Create().SetOrganisationID(org.ID).SetName(name).Save(sys)
	if err != nil {
		return nil, fmt.Errorf("admin: create company: %w", err)
	}
	user, err := client.User.Create().
		SetOrganisationID(org.ID).SetCompanyID(login.ID).
		SetEmail(email).SetName("Administrator").
		SetRights(rights.AllCodes()).
		Save(sys)
	if err != nil {
		return nil, fmt.Errorf("admin: create administrator: %w", err)
	}
	if err := links.CreateStandardTypes(sys, client, org.ID, shared.ID); err != nil {
		return nil, err
	}
	if err := printing.InstallDefault(sys, client, org.ID); err != nil {
		return nil, fmt.Errorf("admin: default print template: %w", err)
	}
	secret, _, err := auth.Issue(sys, client, user, "carnet init", nil)
	if err != nil {
		return nil, err
	}
	return &Bootstrap{Organisation: org, SharedCompany: shared, LoginCompany: login, Admin: user, Token: secret}, nil
}

// checkEmail validates a user's e-mail address.
func checkEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s, "@") {
		return "", errs.Invalid("email", "%q is not an e-mail address", s)
	}
	return strings.ToLower(s), nil
}

// CreateCompanyInput creates a company.
type CreateCompanyInput struct {
	Name   string `json:"name"`
	Shared *bool  `json:"shared"`
}

// CreateCompany creates a company; at most one company is shared.
func CreateCompany(ctx context.Context, client *ent.Client, in CreateCompanyInput) (*ent.Company, error) {
	if err := auth.Require(ctx, rights.Administer); err != nil {
		return nil, err
	}
	name := strings.TrimSpace(in.Name)
	if name == "" || len([]rune(name)) > 200 {
		return nil, errs.Invalid("name", "name must have 1 to 200 characters")
	}
	shared := in.Shared != nil && *in.Shared
	if shared {
		n, err := client.Company.Query().Where(company.Shared(true)).Count(ctx)
		if err != nil {
			return nil, fmt.Errorf("admin: count shared companies: %w", err)
		}
		if n > 0 {
			return nil, errs.Invalid("shared", "the organisation already has a shared company")
		}
	}
	c, err := client.Company.Create().SetName(name).SetShared(shared).Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, errs.E(errs.Conflict, "a company named %q exists already", name)
	}
	return c, err
}

// CreateUserInput creates a user.
type CreateUserInput struct {
	Email     string `json:"email"`
	Name      string `json:"name"`
	CompanyID int    `json:"companyId"`
	Rights    []int  `json:"rights"`
}

// CreateUser creates a user of the organisation.
func CreateUser(ctx context.Context, client *ent.Client, in CreateUserInput) (*ent.User, error) {
	if err := auth.Require(ctx, rights.Administer); err != nil {
		return nil, err
	}
	email, err := checkEmail(in.Email)
	if err != nil {
		return nil, err
	}
	name := strings.TrimSpace(in.Name)
	if name == "" || len([]rune(name)) > 200 {
		return nil, errs.Invalid("name", "name must have 1 to 200 characters")
	}
	codes, err := rights.Parse(in.Rights)
	if err != nil {
		return nil, errs.Invalid("rights", "%v", err)
	}
	if _, err := client.Company.Get(ctx, in.CompanyID); err != nil {
		if ent.IsNotFound(err) {
			return nil, errs.Invalid("companyId", "no company with this ID")
		}
		return nil, fmt.Errorf("admin: find company: %w", err)
	}
	u, err := client.User.Create().SetEmail(email).SetName(name).SetCompanyID(in.CompanyID).SetRights(codes).Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, errs.E(errs.Conflict, "a user with e-mail %s exists already", email)
	}
	return u, err
}

// UpdateUserRights replaces the rights of a user.
func UpdateUserRights(ctx context.Context, client *ent.Client, id int, codes []int) (*ent.User, error) {
	if err := auth.Require(ctx, rights.Administer); err != nil {
		return nil, err
	}
	codes, err := rights.Parse(codes)
	if err != nil {
		return nil, errs.Invalid("rights", "%v", err)
	}
	u, err := client.User.UpdateOneID(id).SetRights(codes).Save(ctx)
	if ent.IsNotFound(err) {
		return nil, errs.E(errs.NotFound, "no user with this ID")
	}
	return u, err
}

// CreateToken issues a token for a user: administrators for anyone, users
// for themselves.
func CreateToken(ctx context.Context, client *ent.Client, userID int, name *string, expiresAt *time.Time) (string, *ent.Token, error) {
	v := viewer.FromContext(ctx)
	if userID != v.UserID {
		if err := auth.Require(ctx, rights.Administer); err != nil {
			return "", nil, err
		}
	}
	u, err := client.User.Get(ctx, userID)
	if ent.IsNotFound(err) {
		return "", nil, errs.E(errs.NotFound, "no user with this ID")
	}
	if err != nil {
		return "", nil, fmt.Errorf("admin: find user: %w", err)
	}
	var n string
	if name != nil {
		n = *name
	}
	return auth.Issue(ctx, client, u, n, expiresAt)
}

// RevokeToken revokes a token: administrators any, users their own.
func RevokeToken(ctx context.Context, client *ent.Client, id int) error {
	// The Token privacy policy only shows a non-administrator their own
	// tokens. The row is locked (PostgreSQL; SQLite writes one at a time)
	// so that revocations side by side revoke, and audit, once.
	t, err := client.Token.Query().Where(token.ID(id)).Unique(false).Modify(rowlock.ForUpdate).Only(ctx)
	if ent.IsNotFound(err) {
		return errs.E(errs.NotFound, "no token with this ID")
	}
	if err != nil {
		return fmt.Errorf("admin: find token: %w", err)
	}
	if t.RevokedAt != nil {
		return nil
	}
	return client.Token.UpdateOneID(id).SetRevokedAt(time.Now()).Exec(ctx)
}

// SetFeatureFlag switches a feature of the viewer's organisation.
func SetFeatureFlag(ctx context.Context, client *ent.Client, f Feature, enabled bool) (*ent.Organisation, error) {
	if err := auth.Require(ctx, rights.Administer); err != nil {
		return nil, err
	}
	update := client.Organisation.UpdateOneID(viewer.FromContext(ctx).OrgID)
	switch f {
	case ManagementLinks:
		update.SetManagementLinksEnabled(enabled)
	case FiliationLinks:
		update.SetFiliationLinksEnabled(enabled)
	default:
		return nil, errs.Invalid("flag", "unknown feature %s", f)
	}
	return update.Save(ctx)
}

// SetLanguage sets the language of the viewer's organisation (right
// 100009): of labels and messages for requests without Accept-Language,
// and of printed sheets.
func SetLanguage(ctx context.Context, client *ent.Client, l lang.Language) (*ent.Organisation, error) {
	if err := auth.Require(ctx, rights.Administer); err != nil {
		return nil, err
	}
	if !l.Valid() {
		return nil, errs.Invalid("language", "unknown language %s", l)
	}
	return client.Organisation.UpdateOneID(viewer.FromContext(ctx).OrgID).SetLanguage(string(l)).Save(ctx)
}

// SireneSettingsInput sets an organisation's SIRENE connection.
type SireneSettingsInput struct {
	Enabled bool    `json:"enabled"`
	BaseURL *string `json:"baseUrl"`
	APIKey  *string `json:"apiKey"`
}

// ConfigureSirene sets the SIRENE connection of the viewer's organisation
// (right 100009). Absent URL or key fall back to the server's default.
func ConfigureSirene(ctx context.Context, client *ent.Client, in SireneSettingsInput) (*ent.Organisation, error) {
	if err := auth.Require(ctx, rights.Administer); err != nil {
		return nil, err
	}
	update := client.Organisation.UpdateOneID(viewer.FromContext(ctx).OrgID).SetSireneEnabled(in.Enabled)
	if in.BaseURL != nil && strings.TrimSpace(*in.BaseURL) != "" {
		u, err := url.Parse(strings.TrimSpace(*in.BaseURL))
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, errs.Invalid("baseUrl", "baseUrl must be an http(s) URL")
		}
		update.SetSireneBaseURL(strings.TrimRight(u.String(), "/"))
	} else {
		update.ClearSireneBaseURL()
	}
	if in.APIKey != nil && strings.TrimSpace(*in.APIKey) != "" {
		update.SetSireneAPIKey(strings.TrimSpace(*in.APIKey))
	} else {
		update.ClearSireneAPIKey()
	}
	return update.Save(ctx)
}

// Users lists the organisation's users by name (right 100009).
func Users(ctx context.Context, client *ent.Client) ([]*ent.User, error) {
	if err := auth.Require(ctx, rights.Administer); err != nil {
		return nil, err
	}
	return client.User.Query().Order(ent.Asc(user.FieldName)).All(ctx)
}
