// Package importer is the back office's CSV import of clients
// (`carnet import clients FILE.csv`). Each line is upserted by client code
// in its own transaction through addressbook.UpsertClient, so a bad line
// is reported and never half-imported, and good lines are kept.
package importer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"carnet/ent"
	"carnet/ent/organisation"
	"carnet/internal/addressbook"
	"carnet/internal/auth"
	"carnet/internal/db"
	"carnet/internal/errs"
	"carnet/internal/rights"
	"carnet/internal/viewer"
)

// Columns are the CSV header names the import understands; code and name
// are required, the others optional, in any order. Separator ',' or ';'.
var Columns = []string{
	"code", "name", "closed", "legalName", "siren", "siret", "apeCode", "vatNumber",
	"email", "phone", "website", "line1", "line2", "line3", "postalCode", "city", "country",
}

// Rejection is a line that was not imported.
type Rejection struct {
	Line   int
	Reason string
}

// Warning is a line imported with a note: a client that may duplicate
// others (internal/duplicates).
type Warning struct {
	Line    int
	Message string
}

// Report counts what an import did.
type Report struct {
	Created, Updated int
	Rejected         []Rejection
	Warnings         []Warning
}

// Clients imports the clients of r into the organisation orgName (may be
// empty when the database holds one organisation).
func Clients(ctx context.Context, client *ent.Client, orgName string, r io.Reader) (*Report, error) {
	org, err := findOrganisation(ctx, client, orgName)
	if err != nil {
		return nil, err
	}
	ctx = viewer.NewContext(ctx, &viewer.Viewer{
		OrgID:  org.ID,
		Rights: rights.NewSet(int(rights.Integrate), int(rights.ReadAddressBook), int(rights.SeeClosedClients)),
	})
	rd := newReader(r)
	header, err := rd.Read()
	if err != nil {
		return nil, fmt.Errorf("import: read header: %w", err)
	}
	col, err := columnIndex(header)
	if err != nil {
		return nil, err
	}
	report := &Report{}
	for {
		record, err := rd.Read()
		if errors.Is(err, io.EOF) {
			return report, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				report.Rejected = append(report.Rejected, Rejection{Line: pe.Line, Reason: pe.Err.Error()})
				continue
			}
			return report, fmt.Errorf("import: read: %w", err)
		}
		line, _ := rd.FieldPos(0)
		in, err := toInput(record, col)
		if err != nil {
			report.Rejected = append(report.Rejected, Rejection{Line: line, Reason: err.Error()})
			continue
		}
		var created bool
		var warning *errs.Warning
		err = db.WithTx(ctx, client, func(tx *ent.Client) error {
			_, created, warning, err = addressbook.UpsertClient(ctx, tx, in)
			return err
		})
		if e, ok := errs.As(err); ok {
			reason := e.Message
			if e.Field != "" && !strings.Contains(reason, e.Field) {
				reason = e.Field + ": " + reason
			}
			report.Rejected = append(report.Rejected, Rejection{Line: line, Reason: reason})
			continue
		}
		if err != nil {
			return report, fmt.Errorf("import: line %d: %w", line, err)
		}
		if warning != nil {
			report.Warnings = append(report.Warnings, Warning{Line: line, Message: warning.Message})
		}
		if created {
			report.Created++
		} else {
			report.Updated++
		}
	}
}

// findOrganisation returns the organisation named name, or the only one.
func findOrganisation(ctx context.Context, client *ent.Client, name string) (*ent.Organisation, error) {
	q := client.Organisation.Query()
	if name != "" {
		q.Where(organisation.Name(name))
	}
	orgs, err := q.Limit(2).All(auth.System(ctx))
	if err != nil {
		return nil, fmt.Errorf("import: find organisation: %w", err)
	}
	switch {
	case len(orgs) == 0 && name != "":
		return nil, fmt.Errorf("import: no organisation named %q", name)
	case len(orgs) == 0:
		return nil, errors.New("import: no organisation: run carnet init first")
	case len(orgs) > 1:
		return nil, errors.New("import: the database holds several organisations: name one with --org")
	}
	return orgs[0], nil
}

// newReader reads UTF-8 CSV (with or without a BOM) separated by ',' or ';'.
func newReader(r io.Reader) *csv.Reader {
	br := bufio.NewReaderSize(r, 8192)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	head, _ := br.Peek(4096) // fewer bytes at the end of a short file
	first, _, _ := bytes.Cut(head, []byte("\n"))
	rd := csv.NewReader(br)
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		rd.Comma = ';'
	}
	rd.FieldsPerRecord = -1
	rd.TrimLeadingSpace = true
	return rd
}

// columnIndex maps each known column to its position in header.
func columnIndex(header []string) (map[string]int, error) {
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		known := false
		for _, c := range Columns {
			if strings.EqualFold(h, c) {
				col[c], known = i, true
			}
		}
		if !known && h != "" {
			return nil, fmt.Errorf("import: unknown column %q (known: %s)", h, strings.Join(Columns, ", "))
		}
	}
	for _, required := range []string{"code", "name"} {
		if _, ok := col[required]; !ok {
			return nil, fmt.Errorf("import: the header needs a %q column", required)
		}
	}
	return col, nil
}

// toInput turns a CSV record into an upsert.
func toInput(record []string, col map[string]int) (addressbook.UpsertClientInput, error) {
	for _, f := range record {
		if !utf8.ValidString(f) {
			return addressbook.UpsertClientInput{}, errors.New("the line is not valid UTF-8: save the file as UTF-8")
		}
	}
	get := func(name string) *string {
		i, ok := col[name]
		if !ok || i >= len(record) || strings.TrimSpace(record[i]) == "" {
			return nil
		}
		v := strings.TrimSpace(record[i])
		return &v
	}
	in := addressbook.UpsertClientInput{
		LegalName: get("legalName"), Siren: get("siren"), Siret: get("siret"), ApeCode: get("apeCode"),
		VatNumber: get("vatNumber"), Email: get("email"), Phone: get("phone"), Website: get("website"),
	}
	if c := get("code"); c != nil {
		in.Code = *c
	}
	if n := get("name"); n != nil {
		in.Name = *n
	}
	if in.Code == "" {
		return in, errors.New("code is required")
	}
	if in.Name == "" {
		return in, errors.New("name is required")
	}
	if c := get("closed"); c != nil {
		b, err := strconv.ParseBool(strings.ToLower(*c))
		if err != nil {
			switch strings.ToLower(*c) {
			case "oui", "o", "yes", "y":
				b = true
			case "non", "n", "no":
				b = false
			default:
				return in, fmt.Errorf("closed: %q is not true/false (or oui/non)", *c)
			}
		}
		in.Closed = &b
	}
	addr := &addressbook.AddressInput{Line1: get("line1"), Line2: get("line2"), Line3: get("line3"),
		PostalCode: get("postalCode"), City: get("city"), Country: get("country")}
	if *addr != (addressbook.AddressInput{}) {
		in.Address = addr
		in.KeepAddressParts = true // an empty cell leaves the stored value as it is
	}
	return in, nil
}
