package personaldata_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/exports"
	"carnet/internal/gid"
	"carnet/internal/testdb"
)

// The person the tests erase: names found nowhere else.
const (
	first  = "Gwenaelle"
	last   = "Quenardel"
	email  = "g.quenardel@example.fr"
	mobile = "+33612345678"
)

// needles are what must not survive an erasure, anywhere.
var needles = []string{last, first + " " + last, email, mobile, "0612345678"}

const createContact = `mutation($in: CreateContactInput!) { createContact(input: $in) { id version } }`

const createActivity = `mutation($in: CreateActivityInput!) { createActivity(input: $in) { id } }`

const exportQuery = `mutation($id: ID!) { exportPersonalData(contactId: $id) { url filename contentType } }`

const eraseQuery = `mutation($id: ID!, $v: Int) { erasePersonalData(contactId: $id, version: $v) }`

// world is an organisation A with the person, a colleague of hers on the
// same prospect, their activities, documents and print files.
type world struct {
	u                     *apitest.UploadEnv
	tp, person, colleague string
	personAct, tpAct      string
	personDoc, tpDoc      string
	version               int
	opportunity           string
}

func build(t *testing.T, d *db.DB) *world {
	u, _ := apitest.NewExports(t, d, exports.Options{})
	w := &world{u: u, tp: u.Prospect(u.TokenA, "Boulangerie du Port")}
	c := u.OK(u.TokenA, createContact, map[string]any{"in": map[string]any{
		"thirdPartyId": w.tp, "firstName": first, "lastName": last, "email": email, "mobile": mobile,
	}})
	w.person = apitest.Str(c, "createContact.id")
	u.OK(u.TokenA, `mutation($id: ID!) { updateContact(id: $id, expectedVersion: 1, input: {jobTitle: "Gérante"}) { version } }`,
		map[string]any{"id": w.person})
	w.version = 2
	w.colleague = apitest.Str(u.OK(u.TokenA, createContact, map[string]any{"in": map[string]any{
		"thirdPartyId": w.tp, "firstName": "Paul", "lastName": "Durandeau", "email": "paul@example.fr",
	}}), "createContact.id")
	w.personAct = apitest.Str(u.OK(u.TokenA, createActivity, map[string]any{"in": map[string]any{
		"contactId": w.person, "type": "CALL", "subject": "Appel de " + first + " " + last + " : commande de pains",
		"notes": "Rappeler au 0612345678 ou écrire à " + email + ". Mme " + last + " veut 40 baguettes.",
	}}), "createActivity.id")
	w.opportunity = apitest.Str(u.NewOpportunity(u.TokenA, map[string]any{
		"name": "Commande " + last, "thirdPartyId": w.tp, "contactIds": []string{w.person},
	}), "id")
	w.tpAct = apitest.Str(u.OK(u.TokenA, createActivity, map[string]any{"in": map[string]any{
		"thirdPartyId": w.tp, "type": "MEETING", "subject": "Visite du fournil",
	}}), "createActivity.id")
	w.personDoc = apitest.Str(u.UploadOK(u.TokenA, w.person, "cv.txt", []byte("CV de "+first+" "+last+", "+email)), "id")
	w.tpDoc = apitest.Str(u.UploadOK(u.TokenA, w.tp, "tarifs.txt", []byte("Tarifs 2026 de la boulangerie")), "id")
	tpl := apitest.Str(u.OK(u.TokenA, `{ printTemplates { id } }`, nil), "printTemplates.0.id")
	u.OK(u.TokenA, `mutation($id: ID!, $t: ID!) { printThirdParty(id: $id, templateId: $t, format: VCARD) { url } }`,
		map[string]any{"id": w.tp, "t": tpl})
	u.OK(u.TokenA, `mutation($id: ID!) { exportContactVCard(id: $id) { url } }`, map[string]any{"id": w.person})
	// The same person's name in organisation B, which an erasure in A
	// must leave alone.
	tpB := u.Prospect(u.TokenB, "Autre maison")
	u.OK(u.TokenB, createContact, map[string]any{"in": map[string]any{"thirdPartyId": tpB, "lastName": "Homonyme-B"}})
	return w
}

func TestExportHoldsThePersonsFieldsActivitiesDocumentsAndEventsOnly(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		w := build(t, d)
		u := w.u
		r := u.OK(u.TokenA, exportQuery, map[string]any{"id": w.person})
		if ct := apitest.Str(r, "exportPersonalData.contentType"); ct != "application/json" {
			t.Errorf("contentType = %q", ct)
		}
		resp, body := u.Download(u.TokenA, apitest.Str(r, "exportPersonalData.url"))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("download: %d %s", resp.StatusCode, body)
		}
		var doc struct {
			Contact     map[string]any   `json:"contact"`
			ThirdParty  map[string]any   `json:"thirdParty"`
			Activities  []map[string]any `json:"activities"`
			Documents   []map[string]any `json:"documents"`
			AuditEvents []map[string]any `json:"auditEvents"`
		}
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Fatalf("export is not JSON: %v\n%s", err, body)
		}
		if doc.Contact["last_name"] != last || doc.Contact["email"] != email || doc.Contact["job_title"] != "Gérante" {
			t.Errorf("contact = %v", doc.Contact)
		}
		if doc.ThirdParty["name"] != "Boulangerie du Port" {
			t.Errorf("thirdParty = %v", doc.ThirdParty)
		}
		if len(doc.Activities) != 1 || doc.Activities[0]["id"] != w.personAct {
			t.Errorf("activities = %v, want only %s", doc.Activities, w.personAct)
		}
		if len(doc.Documents) != 1 || doc.Documents[0]["id"] != w.personDoc {
			t.Errorf("documents = %v, want only %s", doc.Documents, w.personDoc)
		}
		records := map[string]int{}
		for _, e := range doc.AuditEvents {
			records[fmt.Sprint(e["entity"])+" "+fmt.Sprint(e["recordId"])]++
		}
		for _, want := range []string{"Contact " + w.person, "Activity " + w.personAct, "Document " + w.personDoc} {
			if records[want] == 0 {
				t.Errorf("no audit event of %s in %v", want, records)
			}
		}
		if records["Contact "+w.person] != 2 {
			t.Errorf("contact events = %d, want 2 (created, updated)", records["Contact "+w.person])
		}
		for _, other := range []string{"Durandeau", "paul@example.fr", "Visite du fournil", "tarifs", "Homonyme-B"} {
			if bytes.Contains(body, []byte(other)) {
				t.Errorf("export holds %q of someone else", other)
			}
		}
		// Audited: an event naming the contact's ID and nothing else of her.
		ev := u.OK(u.TokenA, `query($id: ID!) { auditEvents(where: {recordId: $id}, last: 1) { edges { node { entity action } } } }`,
			map[string]any{"id": w.person})
		if got := apitest.Str(ev, "auditEvents.edges.0.node.entity"); got != "PersonalDataExport" {
			t.Errorf("last event of the contact = %q, want PersonalDataExport", got)
		}
	})
}

func TestPersonalDataIsAdministratorsOnlyAndTenantBound(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tp := e.Prospect(e.TokenA, "Chez Lulu")
		c := e.Contact(e.TokenA, tp, "Lulu")
		rep := e.User(e.TokenA, "rep@alpha.example", apitest.AllRightsExcept(100009)...)
		e.Fail(rep, exportQuery, map[string]any{"id": c}, "FORBIDDEN")
		e.Fail(rep, eraseQuery, map[string]any{"id": c}, "FORBIDDEN")
		e.Fail(rep, `{ contactsForRetentionReview { totalCount } }`, nil, "FORBIDDEN")
		e.Fail(rep, `mutation { setRetentionMonths(months: 12) { id } }`, nil, "FORBIDDEN")
		e.Fail(e.TokenB, exportQuery, map[string]any{"id": c}, "NOT_FOUND")
		e.Fail(e.TokenB, eraseQuery, map[string]any{"id": c}, "NOT_FOUND")
		e.Fail(e.TokenA, `mutation { setRetentionMonths(months: 0) { id } }`, nil, "BAD_USER_INPUT", "months")
		e.ContactNode(e.TokenA, c) // still there
		// The data steward needs 100009 only (not 100003).
		steward := e.User(e.TokenA, "dpo@alpha.example", 100009, 100001)
		e.OK(steward, eraseQuery, map[string]any{"id": c})
		e.NodeNotFound(e.TokenA, c)
	})
}

func TestEraseLeavesNoTraceOfThePersonAndKeepsTheBusinessFacts(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		w := build(t, d)
		u := w.u
		u.OK(u.TokenA, exportQuery, map[string]any{"id": w.person}) // an export file to erase too
		contacts := exportContacts(t, u)
		if found := scan(t, d, w.u.StoreDir); len(found) == 0 {
			t.Fatal("the scan finds nothing before the erasure: it proves nothing")
		}
		keptFiles := len(u.StoreFiles())

		// A stale version, then a failure half-way (a later field of the
		// operation fails): nothing changes, no file goes.
		u.Fail(u.TokenA, eraseQuery, map[string]any{"id": w.person, "v": 1}, "CONFLICT")
		u.Fail(u.TokenA, `mutation($id: ID!, $other: ID!) { erasePersonalData(contactId: $id) deleteContact(id: $other) }`,
			map[string]any{"id": w.person, "other": apitest.UnknownID(t, w.person)}, "NOT_FOUND")
		u.ContactNode(u.TokenA, w.person)
		if n := len(u.StoreFiles()); n != keptFiles {
			t.Fatalf("store files = %d after failed erasures, want %d", n, keptFiles)
		}

		if got := apitest.Str(u.OK(u.TokenA, eraseQuery, map[string]any{"id": w.person, "v": w.version}), "erasePersonalData"); got != w.person {
			t.Fatalf("erasePersonalData = %q", got)
		}
		if found := scan(t, d, w.u.StoreDir); len(found) > 0 {
			t.Fatalf("the person survives the erasure:\n%s", strings.Join(found, "\n"))
		}
		u.NodeNotFound(u.TokenA, w.person)
		u.NodeNotFound(u.TokenA, contacts) // the bulk export of contacts went with her

		// The business facts stay: the call, on its third party, without her.
		a := u.OK(u.TokenA, `query($id: ID!) { node(id: $id) { ... on Activity { subject notes contact { id } thirdParty { id } } } }`,
			map[string]any{"id": w.personAct})
		if apitest.Get(a, "node.contact") != nil || apitest.Str(a, "node.thirdParty.id") != w.tp {
			t.Errorf("activity = %v, want it on %s without contact", a, w.tp)
		}
		if got := apitest.Str(a, "node.subject"); got != "Appel de [effacé] : commande de pains" {
			t.Errorf("subject = %q", got)
		}
		if got := apitest.Str(a, "node.notes"); !strings.Contains(got, "40 baguettes") {
			t.Errorf("notes = %q, want the business part kept", got)
		}
		o := u.OK(u.TokenA, `query($id: ID!) { node(id: $id) { ... on Opportunity { name contacts { id } } } }`,
			map[string]any{"id": w.opportunity})
		if apitest.Str(o, "node.name") != "Commande [effacé]" || len(apitest.Get(o, "node.contacts").([]any)) != 0 {
			t.Errorf("opportunity = %v, want it kept without her", o)
		}
		u.NodeFound(u.TokenA, w.tpAct)
		u.NodeFound(u.TokenA, w.tpDoc)
		u.NodeFound(u.TokenA, w.colleague)
		if resp, _ := u.Download(u.TokenA, u.Server.URL+"/documents/"+w.tpDoc); resp.StatusCode != http.StatusOK {
			t.Errorf("the third party's document: %d", resp.StatusCode)
		}
		// The colleague is still found by search; the trail keeps its events.
		s := u.OK(u.TokenA, `{ search(query: "Durandeau") { node { id } } }`, nil)
		if ids := apitest.IDs(apitest.Get(s, "search"), "node.id"); len(ids) != 1 {
			t.Errorf("search Durandeau = %v", ids)
		}
		ev := u.OK(u.TokenA, `query($id: ID!) { auditEvents(where: {recordId: $id}) { edges { node { entity action } } } }`,
			map[string]any{"id": w.person})
		if n := len(apitest.Get(ev, "auditEvents.edges").([]any)); n < 4 {
			t.Errorf("events of the erased contact = %d, want its trail kept (created, updated, exported, deleted, erased)", n)
		}
	})
}

// exportContacts runs a CONTACTS bulk export (it lists the person) to
// its end and returns its ID.
func exportContacts(t *testing.T, u *apitest.UploadEnv) string {
	t.Helper()
	id := apitest.Str(u.OK(u.TokenA, `mutation { startExport(input: {kind: CONTACTS, format: JSONL}) { id } }`, nil), "startExport.id")
	for range 3000 {
		n := u.OK(u.TokenA, `query($id: ID!) { node(id: $id) { ... on Export { status } } }`, map[string]any{"id": id})
		switch apitest.Str(n, "node.status") {
		case "DONE":
			return id
		case "FAILED":
			t.Fatalf("export failed: %v", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the export did not finish")
	return ""
}

// scan looks for the person in every text column of every table and in
// every stored file, and says where it found her.
func scan(t *testing.T, d *db.DB, storeDir string) []string {
	t.Helper()
	var found []string
	type column struct{ table, name string }
	var cols []column
	var q string
	if d.Dialect == dialect.Postgres {
		q = `SELECT table_name, column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'json', 'jsonb')`
	} else {
		q = `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND (p.type = '' OR p.type IN ('text', 'json', 'TEXT', 'JSON') OR p.type LIKE 'varchar%')`
	}
	rows, err := d.SQL.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range testdb.Strings(t, rows) {
		cols = append(cols, column{r[0], r[1]})
	}
	if len(cols) < 20 {
		t.Fatalf("only %d text columns found: %v", len(cols), cols)
	}
	arg := "?"
	if d.Dialect == dialect.Postgres {
		arg = "$1"
	}
	for _, c := range cols {
		for _, n := range needles {
			var count int
			err := d.SQL.QueryRow(fmt.Sprintf(`SELECT COUNT(*) FROM %q WHERE LOWER(CAST(%q AS TEXT)) LIKE %s`, c.table, c.name, arg),
				"%"+strings.ToLower(n)+"%").Scan(&count)
			if err != nil {
				t.Fatalf("scan %s.%s: %v", c.table, c.name, err)
			}
			if count > 0 {
				found = append(found, fmt.Sprintf("%s.%s: %q ×%d", c.table, c.name, n, count))
			}
		}
	}
	err = filepath.WalkDir(storeDir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, n := range needles {
			if bytes.Contains(bytes.ToLower(b), []byte(strings.ToLower(n))) {
				found = append(found, fmt.Sprintf("file %s: %q", filepath.Base(p), n))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

func TestRetentionReportListsStaleContactsOnly(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tp := e.Prospect(e.TokenA, "Ancienne maison")
		stale := e.Contact(e.TokenA, tp, "Oublie")
		fresh := e.Contact(e.TokenA, tp, "Recent")
		busy := e.Contact(e.TokenA, tp, "Actif")
		e.OK(e.TokenA, createActivity, map[string]any{"in": map[string]any{"contactId": busy, "type": "NOTE", "subject": "Suivi"}})
		old := time.Now().AddDate(-4, 0, 0)
		arg := "?"
		if d.Dialect == dialect.Postgres {
			arg = "$2"
		}
		for _, c := range []string{stale, busy} {
			id, _ := gid.Decode(c)
			q := "UPDATE contacts SET updated_at = " + strings.Replace(arg, "2", "1", 1) + " WHERE id = " + arg
			if _, err := d.SQL.Exec(q, old, id); err != nil {
				t.Fatal(err)
			}
		}
		report := `{ contactsForRetentionReview(first: 10) { edges { node { id lastName } } } }`
		got := apitest.IDs(apitest.Get(e.OK(e.TokenA, report, nil), "contactsForRetentionReview.edges"), "node.id")
		if len(got) != 1 || got[0] != stale {
			t.Errorf("report = %v, want only %s (not %s: changed lately, nor %s: a recent activity)", got, stale, fresh, busy)
		}
		if got := apitest.IDs(apitest.Get(e.OK(e.TokenB, report, nil), "contactsForRetentionReview.edges"), "node.id"); len(got) != 0 {
			t.Errorf("B's report = %v, want none of A's", got)
		}
		r := e.OK(e.TokenA, `mutation { setRetentionMonths(months: 60) { retentionMonths } }`, nil)
		if apitest.Num(r, "setRetentionMonths.retentionMonths") != 60 {
			t.Errorf("setRetentionMonths = %v", r)
		}
		if got := apitest.IDs(apitest.Get(e.OK(e.TokenA, report, nil), "contactsForRetentionReview.edges"), "node.id"); len(got) != 0 {
			t.Errorf("report with 60 months = %v, want none (4 years < 60 months)", got)
		}
	})
}
