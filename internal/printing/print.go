package printing

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"carnet/ent"
	"carnet/ent/contact"
	"carnet/ent/document"
	"carnet/ent/printtemplate"
	"carnet/internal/auth"
	"carnet/internal/documents"
	"carnet/internal/errs"
	"carnet/internal/gid"
	"carnet/internal/rights"
	"carnet/internal/viewer"
)

// Format is an output format.
type Format string

// The formats.
const (
	FormatPDF   Format = "PDF"
	FormatHTML  Format = "HTML"
	FormatVCard Format = "VCARD"
)

var formats = []Format{FormatPDF, FormatHTML, FormatVCard}

// MarshalGQL writes the format as a GraphQL enum value.
func (f Format) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(f))) }

// UnmarshalGQL reads a GraphQL enum value.
func (f *Format) UnmarshalGQL(v any) error {
	s, _ := v.(string)
	if !slices.Contains(formats, Format(s)) {
		return fmt.Errorf("%v is not a PrintFormat", v)
	}
	*f = Format(s)
	return nil
}

// contentType and extension of each format.
var output = map[Format]struct{ contentType, ext string }{
	FormatPDF:   {"application/pdf", "pdf"},
	FormatHTML:  {"text/html; charset=utf-8", "html"},
	FormatVCard: {"text/vcard; charset=utf-8", "vcf"},
}

// TemplateInput defines a print template.
type TemplateInput struct {
	Name    string   `json:"name"`
	Formats []Format `json:"formats"`
	Body    string   `json:"body"`
}

// UpdateTemplateInput changes a print template; absent fields unchanged.
type UpdateTemplateInput struct {
	Name    *string  `json:"name"`
	Formats []Format `json:"formats"`
	Body    *string  `json:"body"`
}

func checkName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 100 {
		return "", errs.Invalid("name", "name must have 1 to 100 characters")
	}
	return name, nil
}

func checkFormats(fs []Format) ([]string, error) {
	if len(fs) == 0 {
		return nil, errs.Invalid("formats", "a template offers at least one format")
	}
	var out []string
	for _, f := range fs {
		if !slices.Contains(out, string(f)) {
			out = append(out, string(f))
		}
	}
	return out, nil
}

// CreateTemplate defines a record-sheet template (right 100009); a body
// that does not parse or names unknown fields is refused, with its line.
func CreateTemplate(ctx context.Context, client *ent.Client, in TemplateInput) (*ent.PrintTemplate, error) {
	if err := auth.Require(ctx, rights.Administer); err != nil {
		return nil, err
	}
	name, err := checkName(in.Name)
	if err != nil {
		return nil, err
	}
	fs, err := checkFormats(in.Formats)
	if err != nil {
		return nil, err
	}
	if err := Check(in.Body); err != nil {
		return nil, err
	}
	t, err := client.PrintTemplate.Create().SetName(name).SetFormats(fs).SetBody(in.Body).Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, errs.E(errs.Conflict, "a template named %q exists already", name)
	}
	return t, err
}

// UpdateTemplate changes a template under the same rules.
func UpdateTemplate(ctx context.Context, client *ent.Client, id int, in UpdateTemplateInput) (*ent.PrintTemplate, error) {
	if err := auth.Require(ctx, rights.Administer); err != nil {
		return nil, err
	}
	if _, err := getTemplate(ctx, client, id); err != nil {
		return nil, err
	}
	u := client.PrintTemplate.UpdateOneID(id)
	if in.Name != nil {
		name, err := checkName(*in.Name)
		if err != nil {
			return nil, err
		}
		u.SetName(name)
	}
	if in.Formats != nil {
		fs, err := checkFormats(in.Formats)
		if err != nil {
			return nil, err
		}
		u.SetFormats(fs)
	}
	if in.Body != nil {
		if err := Check(*in.Body); err != nil {
			return nil, err
		}
		u.SetBody(*in.Body)
	}
	t, err := u.Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, errs.E(errs.Conflict, "a template with this name exists already")
	}
	return t, err
}

// DeleteTemplate deletes a template (right 100009).
func DeleteTemplate(ctx context.Context, client *ent.Client, id int) error {
	if err := auth.Require(ctx, rights.Administer); err != nil {
		return err
	}
	if _, err := getTemplate(ctx, client, id); err != nil {
		return err
	}
	return client.PrintTemplate.DeleteOneID(id).Exec(ctx)
}

func getTemplate(ctx context.Context, client *ent.Client, id int) (*ent.PrintTemplate, error) {
	t, err := client.PrintTemplate.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errs.E(errs.NotFound, "no print template with this ID")
	}
	if err != nil {
		return nil, fmt.Errorf("printing: template: %w", err)
	}
	return t, nil
}

// InstallDefault installs the default record sheet for an organisation
// (carnet init, the demo); ctx is the system's.
func InstallDefault(ctx context.Context, client *ent.Client, orgID int) error {
	return client.PrintTemplate.Create().SetOrganisationID(orgID).SetName(DefaultName).
		SetFormats([]string{string(FormatPDF), string(FormatHTML), string(FormatVCard)}).SetBody(Default).Exec(ctx)
}

// Result is a printed file.
type Result struct {
	URL, Filename, ContentType string
	// Document is the record's new document when the print was attached.
	Document *ent.Document
}

// unlistedLifetime is how long a print that was not attached stays
// downloadable.
const unlistedLifetime = 24 * time.Hour

// PrintThirdParty renders a third party's sheet with a template in one of
// its formats (right 100001). The file is stored like a document, so its
// URL follows the documents' rules; with attach (right 100004) it is also
// listed among the record's documents.
func PrintThirdParty(ctx context.Context, client *ent.Client, store *documents.Store, id, templateID int, format Format, attach bool) (*Result, error) {
	if err := auth.Require(ctx, rights.ReadAddressBook); err != nil {
		return nil, err
	}
	if attach {
		if err := auth.Require(ctx, rights.ManageDocuments); err != nil {
			return nil, err
		}
	}
	if store == nil {
		return nil, errs.E(errs.Internal, "document storage is not configured")
	}
	tp, err := client.ThirdParty.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errs.E(errs.NotFound, "no third party with this ID")
	}
	if err != nil {
		return nil, fmt.Errorf("printing: record: %w", err)
	}
	t, err := client.PrintTemplate.Query().Where(printtemplate.ID(templateID)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, errs.Invalid("templateId", "no print template with this ID")
	}
	if err != nil {
		return nil, fmt.Errorf("printing: template: %w", err)
	}
	if !slices.Contains(t.Formats, string(format)) {
		return nil, errs.Invalid("format", "template %q offers %s, not %s", t.Name, strings.Join(t.Formats, ", "), format)
	}
	sh, err := Build(ctx, client, tp)
	if err != nil {
		return nil, err
	}
	var data []byte
	switch format {
	case FormatVCard:
		data = VCard(tp.Name, sh.Contacts)
	case FormatHTML:
		data, err = HTML(t.Body, sh)
	case FormatPDF:
		var page []byte
		if page, err = HTML(t.Body, sh); err == nil {
			data, err = PDF(page, tp.Name)
		}
	}
	if err != nil {
		return nil, err
	}
	if err := purgeUnlisted(ctx, client); err != nil {
		return nil, err
	}
	out := output[format]
	name := fileName(tp.Name, sh.PrintedAt, out.ext)
	doc, err := documents.Save(ctx, client, store, documents.Owner{ThirdPartyID: &tp.ID}, name, name, bytes.NewReader(data), attach)
	if err != nil {
		return nil, err
	}
	// The sniffed type of HTML and vCard is plain text: say what it is.
	if doc.ContentType != out.contentType {
		if doc, err = client.Document.UpdateOne(doc).SetContentType(out.contentType).Save(auth.System(ctx)); err != nil {
			return nil, err
		}
	}
	r := &Result{URL: documents.URL(ctx, gid.Encode(doc.ID)), Filename: name, ContentType: out.contentType}
	if attach {
		r.Document = doc
	}
	return r, nil
}

// purgeUnlisted deletes the organisation's unattached prints past their
// lifetime (their files go when the transaction commits).
func purgeUnlisted(ctx context.Context, client *ent.Client) error {
	_, err := client.Document.Delete().
		Where(document.OrganisationID(viewer.FromContext(ctx).OrgID), document.Listed(false),
			document.CreatedAtLT(time.Now().Add(-unlistedLifetime))).
		Exec(auth.System(ctx))
	return err
}

// fileName is "<record name> <date>.<ext>", without characters that file
// systems refuse.
func fileName(record string, at time.Time, ext string) string {
	clean := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < 0x20 {
			return '-'
		}
		return r
	}, record)
	// The name is the document's file name and title too: at most 255
	// bytes and 200 characters, so a long record name is shortened.
	suffix := fmt.Sprintf(" %s.%s", at.Format("2006-01-02"), ext)
	name := strings.TrimSpace(clean)
	for len(name)+len(suffix) > 255 || utf8.RuneCountInString(name)+utf8.RuneCountInString(suffix) > 200 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return strings.TrimSpace(name) + suffix
}

// ExportContact writes one contact as a vCard 4.0 file (right 100001),
// downloadable like a print for 24 hours.
func ExportContact(ctx context.Context, client *ent.Client, store *documents.Store, id int) (*Result, error) {
	if err := auth.Require(ctx, rights.ReadAddressBook); err != nil {
		return nil, err
	}
	if store == nil {
		return nil, errs.E(errs.Internal, "document storage is not configured")
	}
	c, err := client.Contact.Query().Where(contact.ID(id)).WithThirdParty().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, errs.E(errs.NotFound, "no contact with this ID")
	}
	if err != nil {
		return nil, fmt.Errorf("printing: contact: %w", err)
	}
	card := VCard(c.Edges.ThirdParty.Name, []Contact{{Civility: s(c.Civility), FirstName: s(c.FirstName), LastName: c.LastName,
		JobTitle: s(c.JobTitle), DirectLine: s(c.DirectLine), Mobile: s(c.Mobile), Email: s(c.Email)}})
	if err := purgeUnlisted(ctx, client); err != nil {
		return nil, err
	}
	name := fileName(strings.TrimSpace(s(c.FirstName)+" "+c.LastName), time.Now().UTC(), "vcf")
	doc, err := documents.Save(ctx, client, store, documents.Owner{ContactID: &c.ID}, name, name, bytes.NewReader(card), false)
	if err != nil {
		return nil, err
	}
	const vcardType = "text/vcard; charset=utf-8"
	if doc, err = client.Document.UpdateOne(doc).SetContentType(vcardType).Save(auth.System(ctx)); err != nil {
		return nil, err
	}
	return &Result{URL: documents.URL(ctx, gid.Encode(doc.ID)), Filename: name, ContentType: vcardType}, nil
}
