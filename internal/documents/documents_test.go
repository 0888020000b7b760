package documents_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

const (
	deleteDocument = `mutation($id: ID!) { deleteDocument(id: $id) }`
	devisName      = "Devis été 2026.pdf"
	devisStar      = `filename*=UTF-8''Devis%20%C3%A9t%C3%A9%202026.pdf`
)

func strp(s string) *string { return &s }

func TestUploadDocument_SniffsTheTypeKeepsTheNameAndRecordsSizeAndChecksum(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		u := apitest.NewUpload(t, d, 1<<20)
		tp := u.Prospect(u.TokenA, "Devisor")
		me := u.MeID(u.TokenA)
		for i, tc := range []struct {
			name      string
			title     *string
			wantTitle string
		}{
			{"no title: the file name", nil, devisName},
			{"a title: kept, trimmed", strp("  Devis signé  "), "Devis signé"},
			{"a blank title: the file name", strp("   "), devisName},
		} {
			t.Run(tc.name, func(t *testing.T) {
				u := u.With(t)
				data := apitest.PDFBytes(3000 + i)
				sum := sha256.Sum256(data)
				// The part header lies: text/plain; the bytes are a PDF.
				r := u.Upload(u.TokenA, tp, devisName, "text/plain; charset=utf-8", data, tc.title)
				if len(r.Errors) > 0 {
					t.Fatalf("upload: %+v", r.Errors)
				}
				doc := r.Data["uploadDocument"]
				for field, want := range map[string]any{
					"title":       tc.wantTitle,
					"filename":    devisName,
					"contentType": "application/pdf",
					"size":        float64(len(data)),
					"sha256":      hex.EncodeToString(sum[:]),
					"author.id":   me,
				} {
					if got := apitest.Get(doc, field); got != want {
						t.Errorf("%s = %v, want %v", field, got, want)
					}
				}
				if url := apitest.Str(doc, "url"); url != u.Server.URL+"/documents/"+apitest.Str(doc, "id") {
					t.Errorf("url = %q, want %q", url, u.Server.URL+"/documents/"+apitest.Str(doc, "id"))
				}
				if u.BlobWith(data) == "" {
					t.Errorf("no stored file holds the uploaded bytes; store: %v", u.StoreFiles())
				}
				n := u.OK(u.TokenA, `query($id: ID!) { node(id: $id) { ... on Document { title filename contentType size sha256 } } }`, map[string]any{"id": apitest.Str(doc, "id")})
				if apitest.Str(n, "node.filename") != devisName || apitest.Str(n, "node.sha256") != hex.EncodeToString(sum[:]) || apitest.Str(n, "node.title") != tc.wantTitle {
					t.Errorf("document read back: %v", n)
				}
			})
		}
	})
}

func TestDocuments_AreListedNewestFirstOnTheirThirdPartyOrContact(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		u := apitest.NewUpload(t, d, 1<<20)
		tp := u.Prospect(u.TokenA, "Archiviste")
		c := u.Contact(u.TokenA, tp, "Lefèvre")
		var onTP []string
		for i := range 3 {
			onTP = append(onTP, apitest.Str(u.UploadOK(u.TokenA, tp, fmt.Sprintf("piece-%d.pdf", i), apitest.PDFBytes(100+i)), "id"))
			time.Sleep(2 * time.Millisecond) // distinct creation times
		}
		onContact := apitest.Str(u.UploadOK(u.TokenA, c, "carte.pdf", apitest.PDFBytes(50)), "id")

		want := []string{onTP[2], onTP[1], onTP[0]}
		if got := u.DocumentIDs(u.TokenA, tp); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("third party's documents = %v, want newest first %v (the contact's %s not among them)", got, want, onContact)
		}
		if got := u.DocumentIDs(u.TokenA, c); len(got) != 1 || got[0] != onContact {
			t.Errorf("contact's documents = %v, want [%s]", got, onContact)
		}
		// Organisation B sees none of them.
		for _, id := range append(onTP, onContact) {
			u.Fail(u.TokenB, apitest.NodeID, map[string]any{"id": id}, "NOT_FOUND")
		}
	})
}

func TestDownloadDocument_GivesTheFileToWhoMayReadTheRecordAnd404ToEveryoneElse(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		u := apitest.NewUpload(t, d, 1<<20)
		open := u.Prospect(u.TokenA, "Ouvert")
		closed := u.Client(u.TokenA, "CF01", "Fermé SA", true)
		data := apitest.PDFBytes(4096)
		openDoc := u.UploadOK(u.TokenA, open, devisName, data)
		closedDoc := u.UploadOK(u.TokenA, closed, "fermé.pdf", data)
		reader := u.User(u.TokenA, "lecteur@alpha.example", apitest.RightRead)
		closedReader := u.User(u.TokenA, "lecteur-fermes@alpha.example", apitest.RightRead, apitest.RightClosed)
		noRead := u.User(u.TokenA, "docs-seuls@alpha.example", apitest.RightManageDocs)

		for _, tc := range []struct {
			name, token, url string
			want             int
		}{
			{"administrator of A", u.TokenA, apitest.Str(openDoc, "url"), http.StatusOK},
			{"reader of A", reader, apitest.Str(openDoc, "url"), http.StatusOK},
			{"no token", "", apitest.Str(openDoc, "url"), http.StatusUnauthorized},
			{"unknown token", "carnet_nope", apitest.Str(openDoc, "url"), http.StatusUnauthorized},
			{"administrator of B", u.TokenB, apitest.Str(openDoc, "url"), http.StatusNotFound},
			{"user of A without the read right", noRead, apitest.Str(openDoc, "url"), http.StatusNotFound},
			{"closed client's, without 191516", reader, apitest.Str(closedDoc, "url"), http.StatusNotFound},
			{"closed client's, with 191516", closedReader, apitest.Str(closedDoc, "url"), http.StatusOK},
			{"malformed ID", u.TokenA, u.Server.URL + "/documents/not-an-id", http.StatusNotFound},
			{"ID of a third party", u.TokenA, u.Server.URL + "/documents/" + open, http.StatusNotFound},
			{"unknown ID", u.TokenA, u.Server.URL + "/documents/" + base64.RawURLEncoding.EncodeToString([]byte("carnet:999999999")), http.StatusNotFound},
		} {
			t.Run(tc.name, func(t *testing.T) {
				u := u.With(t)
				resp, body := u.Download(tc.token, tc.url)
				if resp.StatusCode != tc.want {
					t.Fatalf("status %d, want %d (%q)", resp.StatusCode, tc.want, body)
				}
				if tc.want != http.StatusOK {
					if bytes.Contains(body, data[:16]) {
						t.Fatal("a refused download carries the file's bytes")
					}
					return
				}
				if !bytes.Equal(body, data) {
					t.Fatalf("downloaded %d bytes, not the %d uploaded", len(body), len(data))
				}
				if ct := resp.Header.Get("Content-Type"); ct != "application/pdf" {
					t.Errorf("Content-Type %q, want application/pdf", ct)
				}
			})
		}

		resp, _ := u.Download(u.TokenA, apitest.Str(openDoc, "url"))
		if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, devisStar) || !strings.HasPrefix(cd, "attachment") {
			t.Errorf("Content-Disposition %q, want an attachment with %s", cd, devisStar)
		}
	})
}

func TestUploadDocument_MalformedMultipartRequestIsBadUserInputAndStoresNothing(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		u := apitest.NewUpload(t, d, 1<<20)
		tp := u.Prospect(u.TokenA, "Formulaire")
		ops := apitest.UploadOperations(tp, nil)
		file := apitest.FilePart{Field: "0", Filename: "devis.pdf", ContentType: "application/pdf", Data: apitest.PDFBytes(2000)}
		for _, tc := range []struct {
			name       string
			operations string
			fileMap    string
			files      []apitest.FilePart
			opt        apitest.MultipartOptions
			wantStatus int // 0: not checked beyond "not 5xx"
		}{
			{name: "map points to a variable the operation does not have", operations: ops, fileMap: `{"0":["variables.nofile"]}`, files: []apitest.FilePart{file}},
			{name: "map points under a variable that does not exist", operations: ops, fileMap: `{"0":["variables.missing.file"]}`, files: []apitest.FilePart{file}},
			{name: "map points into the variables as if a list", operations: ops, fileMap: `{"0":["variables.0"]}`, files: []apitest.FilePart{file}},
			{name: "map points into a string variable", operations: ops, fileMap: `{"0":["variables.owner.file"]}`, files: []apitest.FilePart{file}},
			{name: "map path without the variables prefix", operations: ops, fileMap: `{"0":["file"]}`, files: []apitest.FilePart{file}},
			{name: "map is not JSON", operations: ops, fileMap: `{"0": [variables.file`, files: []apitest.FilePart{file}},
			{name: "map is missing", operations: ops, files: []apitest.FilePart{file}},
			{name: "map names a file part that is not sent", operations: ops, fileMap: `{"0":["variables.file"]}`},
			{name: "file part absent from the map", operations: ops, fileMap: `{}`, files: []apitest.FilePart{file}},
			{name: "no file at all", operations: ops, fileMap: `{}`},
			{name: "operations are not JSON", operations: `{"query": "mutation`, fileMap: `{"0":["variables.file"]}`, files: []apitest.FilePart{file}},
			{name: "no GraphQL-Require-Preflight header", operations: ops, fileMap: `{"0":["variables.file"]}`, files: []apitest.FilePart{file},
				opt: apitest.MultipartOptions{NoPreflight: true}, wantStatus: http.StatusBadRequest},
		} {
			t.Run(tc.name, func(t *testing.T) {
				u := u.With(t)
				body, ct := apitest.MultipartBody(t, tc.operations, tc.fileMap, tc.files...)
				r := u.PostMultipart(u.TokenA, body, ct, tc.opt)
				if r.Code() != "BAD_USER_INPUT" {
					t.Errorf("want BAD_USER_INPUT, got status %d, errors %+v", r.Status, r.Errors)
				}
				if tc.wantStatus != 0 && r.Status != tc.wantStatus || r.Status >= 500 {
					t.Errorf("HTTP status %d, want %v (0: anything but 5xx)", r.Status, tc.wantStatus)
				}
				if r.Data["uploadDocument"] != nil {
					t.Errorf("a document was returned: %v", r.Data)
				}
				if ids := u.DocumentIDs(u.TokenA, tp); len(ids) != 0 {
					t.Errorf("documents recorded: %v", ids)
				}
				u.NoStoreFiles("after a malformed request")
			})
		}
	})
}

func TestUploadDocument_PastTheSizeLimitIsBadUserInputAndKeepsNothing(t *testing.T) {
	const limit = 1 << 20 // the test store's
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		u := apitest.NewUpload(t, d, limit)
		tp := u.Prospect(u.TokenA, "Volumineux")
		for _, tc := range []struct {
			name    string
			size    int
			chunked bool
			ok      bool
		}{
			{name: "exactly the limit", size: limit, ok: true},
			{name: "exactly the limit, chunked", size: limit, chunked: true, ok: true},
			{name: "one byte over", size: limit + 1},
			{name: "one byte over, chunked", size: limit + 1, chunked: true},
			{name: "half as large again", size: limit * 3 / 2},
			{name: "three times the limit", size: 3 * limit},
			{name: "three times the limit, chunked", size: 3 * limit, chunked: true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				u := u.With(t)
				before := u.DocumentIDs(u.TokenA, tp)
				filesBefore := u.StoreFiles()
				data := apitest.PDFBytes(tc.size)
				body, ct := apitest.MultipartBody(t, apitest.UploadOperations(tp, nil), `{"0":["variables.file"]}`,
					apitest.FilePart{Field: "0", Filename: "gros.pdf", ContentType: "application/pdf", Data: data})
				r := u.PostMultipart(u.TokenA, body, ct, apitest.MultipartOptions{Chunked: tc.chunked})
				after := u.DocumentIDs(u.TokenA, tp)
				if tc.ok {
					if len(r.Errors) > 0 {
						t.Fatalf("an upload of exactly the limit was refused: %+v", r.Errors)
					}
					if apitest.Num(r.Data, "uploadDocument.size") != float64(tc.size) || len(after) != len(before)+1 {
						t.Fatalf("upload at the limit: %v; documents %d → %d", r.Data, len(before), len(after))
					}
					return
				}
				if r.Code() != "BAD_USER_INPUT" {
					t.Errorf("want BAD_USER_INPUT, got status %d, errors %+v", r.Status, r.Errors)
				} else if r.Field() != "file" {
					t.Errorf("want field file, got %q (%s)", r.Field(), r.Messages())
				}
				if len(after) != len(before) {
					t.Errorf("a document was recorded: %v → %v", before, after)
				}
				if files := u.StoreFiles(); strings.Join(files, ",") != strings.Join(filesBefore, ",") {
					t.Errorf("store changed: %v → %v", filesBefore, files)
				}
			})
		}
	})
}

func TestDocuments_UploadAndDeleteNeedRight100004AndARefusalChangesNothing(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		u := apitest.NewUpload(t, d, 1<<20)
		tp := u.Prospect(u.TokenA, "Droits")
		c := u.Contact(u.TokenA, tp, "Martin")
		kept := u.UploadOK(u.TokenA, tp, "garde.pdf", apitest.PDFBytes(700))
		filesBefore := u.StoreFiles()
		for _, tc := range []struct {
			name, email string
			rights      []int
		}{
			{"read, write and delete but not 100004", "rwd@alpha.example", []int{apitest.RightRead, apitest.RightWrite, apitest.RightDelete}},
			{"read only", "r@alpha.example", []int{apitest.RightRead}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				u := u.With(t)
				token := u.User(u.TokenA, tc.email, tc.rights...)
				for _, owner := range []string{tp, c} {
					r := u.Upload(token, owner, "refus.pdf", "application/pdf", apitest.PDFBytes(900), nil)
					if r.Code() != "FORBIDDEN" {
						t.Errorf("upload to %s: want FORBIDDEN, got %+v", owner, r.Errors)
					}
				}
				u.Fail(token, deleteDocument, map[string]any{"id": apitest.Str(kept, "id")}, "FORBIDDEN")
				if ids := u.DocumentIDs(u.TokenA, tp); len(ids) != 1 || ids[0] != apitest.Str(kept, "id") {
					t.Errorf("third party's documents after refusals: %v", ids)
				}
				if ids := u.DocumentIDs(u.TokenA, c); len(ids) != 0 {
					t.Errorf("contact's documents after refusals: %v", ids)
				}
				if files := u.StoreFiles(); strings.Join(files, ",") != strings.Join(filesBefore, ",") {
					t.Errorf("store changed: %v → %v", filesBefore, files)
				}
			})
		}
		// 100004 alone (with read) is enough.
		token := u.User(u.TokenA, "documentaliste@alpha.example", apitest.RightRead, apitest.RightManageDocs)
		doc := u.UploadOK(token, c, "ok.pdf", apitest.PDFBytes(300))
		u.OK(token, deleteDocument, map[string]any{"id": apitest.Str(doc, "id")})
	})
}

func TestDeleteDocument_RemovesTheRowAndTheFile(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		u := apitest.NewUpload(t, d, 1<<20)
		tp := u.Prospect(u.TokenA, "Ménage")
		data, other := apitest.PDFBytes(1234), apitest.PDFBytes(4321)
		doc := u.UploadOK(u.TokenA, tp, "jetable.pdf", data)
		stays := u.UploadOK(u.TokenA, tp, "garde.pdf", other)
		if u.BlobWith(data) == "" {
			t.Fatalf("the upload stored no file: %v", u.StoreFiles())
		}
		got := u.OK(u.TokenA, deleteDocument, map[string]any{"id": apitest.Str(doc, "id")})
		if apitest.Str(got, "deleteDocument") != apitest.Str(doc, "id") {
			t.Errorf("deleteDocument returned %v, want %s", got, apitest.Str(doc, "id"))
		}
		u.Fail(u.TokenA, apitest.NodeID, map[string]any{"id": apitest.Str(doc, "id")}, "NOT_FOUND")
		if f := u.BlobWith(data); f != "" {
			t.Errorf("the deleted document's file is still stored: %s", f)
		}
		if u.BlobWith(other) == "" {
			t.Errorf("the other document's file went too")
		}
		if files := u.StoreFiles(); len(files) != 2 { // the other file and its .attrs sidecar
			t.Errorf("store after delete: %v, want only the other document's file and sidecar", files)
		}
		if resp, _ := u.Download(u.TokenA, apitest.Str(doc, "url")); resp.StatusCode != http.StatusNotFound {
			t.Errorf("download of a deleted document: %d, want 404", resp.StatusCode)
		}
		u.Fail(u.TokenA, deleteDocument, map[string]any{"id": apitest.Str(doc, "id")}, "NOT_FOUND")
		if ids := u.DocumentIDs(u.TokenA, tp); len(ids) != 1 || ids[0] != apitest.Str(stays, "id") {
			t.Errorf("documents after delete: %v", ids)
		}
	})
}

func TestDeleteDocument_OfAnotherOrganisationIsNotFoundAndKeepsTheFile(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		u := apitest.NewUpload(t, d, 1<<20)
		tp := u.Prospect(u.TokenA, "Alpha docs")
		data := apitest.PDFBytes(999)
		doc := u.UploadOK(u.TokenA, tp, "alpha.pdf", data)
		u.Fail(u.TokenB, deleteDocument, map[string]any{"id": apitest.Str(doc, "id")}, "NOT_FOUND")
		if u.BlobWith(data) == "" {
			t.Error("B's refused delete removed A's file")
		}
		if ids := u.DocumentIDs(u.TokenA, tp); len(ids) != 1 {
			t.Errorf("A's documents after B's delete: %v", ids)
		}
		if resp, body := u.Download(u.TokenA, apitest.Str(doc, "url")); resp.StatusCode != http.StatusOK || !bytes.Equal(body, data) {
			t.Errorf("download after B's delete: %d", resp.StatusCode)
		}
	})
}

func TestDeleteContactOrThirdParty_RemovesTheirDocumentsAndFiles(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		u := apitest.NewUpload(t, d, 1<<20)
		tp := u.Prospect(u.TokenA, "Cascade")
		c1 := u.Contact(u.TokenA, tp, "Premier")
		c2 := u.Contact(u.TokenA, tp, "Second")
		other := u.Prospect(u.TokenA, "Voisin")
		files := map[string][]byte{"tp": apitest.PDFBytes(1001), "c1": apitest.PDFBytes(1002), "c2": apitest.PDFBytes(1003), "other": apitest.PDFBytes(1004)}
		docs := map[string]string{
			"tp":    apitest.Str(u.UploadOK(u.TokenA, tp, "tp.pdf", files["tp"]), "id"),
			"c1":    apitest.Str(u.UploadOK(u.TokenA, c1, "c1.pdf", files["c1"]), "id"),
			"c2":    apitest.Str(u.UploadOK(u.TokenA, c2, "c2.pdf", files["c2"]), "id"),
			"other": apitest.Str(u.UploadOK(u.TokenA, other, "other.pdf", files["other"]), "id"),
		}
		check := func(step string, gone ...string) {
			t.Helper()
			for k, data := range files {
				isGone := strings.Contains(" "+strings.Join(gone, " ")+" ", " "+k+" ")
				stored := u.BlobWith(data) != ""
				r := u.Do(u.TokenA, apitest.NodeID, map[string]any{"id": docs[k]})
				switch {
				case isGone && stored:
					t.Errorf("%s: the file of %s's document is still stored", step, k)
				case isGone && r.Code() != "NOT_FOUND":
					t.Errorf("%s: %s's document still answers: %v %+v", step, k, r.Data, r.Errors)
				case !isGone && (!stored || len(r.Errors) > 0):
					t.Errorf("%s: %s's document or file went too (stored %v, %+v)", step, k, stored, r.Errors)
				}
			}
		}
		u.OK(u.TokenA, apitest.DeleteContact, map[string]any{"id": c1})
		check("after deleteContact", "c1")
		u.OK(u.TokenA, apitest.DeleteThirdParty, map[string]any{"id": tp})
		check("after deleteThirdParty", "c1", "tp", "c2")
		if got := u.StoreFiles(); len(got) != 2 {
			t.Errorf("store: %v, want only the other third party's file and sidecar", got)
		}
	})
}

func TestUploadDocument_OwnerMustBeAThirdPartyOrContactOfTheOrganisation(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		u := apitest.NewUpload(t, d, 1<<20)
		tp := u.Prospect(u.TokenA, "Propriétaire")
		opp := apitest.Str(u.OK(u.TokenA, `mutation($tp: ID!) { createOpportunity(input: {name: "Affaire", thirdPartyId: $tp}) { id } }`, map[string]any{"tp": tp}), "createOpportunity.id")
		act := apitest.Str(u.OK(u.TokenA, `mutation($s: ID!) { createActivity(input: {subjectId: $s, type: NOTE, subject: "Note"}) { id } }`, map[string]any{"s": tp}), "createActivity.id")
		bTP := u.Prospect(u.TokenB, "Chez B")
		for _, tc := range []struct{ name, owner string }{
			{"another organisation's third party", bTP},
			{"an opportunity", opp},
			{"an activity", act},
			{"an unknown ID", base64.RawURLEncoding.EncodeToString([]byte("carnet:987654321"))},
		} {
			t.Run(tc.name, func(t *testing.T) {
				u := u.With(t)
				r := u.Upload(u.TokenA, tc.owner, "perdu.pdf", "application/pdf", apitest.PDFBytes(500), nil)
				if r.Code() != "NOT_FOUND" {
					t.Errorf("want NOT_FOUND, got %+v", r.Errors)
				}
				u.NoStoreFiles("after a refused owner")
			})
		}
		if ids := u.DocumentIDs(u.TokenB, bTP); len(ids) != 0 {
			t.Errorf("B's third party got documents: %v", ids)
		}
	})
}

func TestUploadDocument_StorageFailureAnswersAnErrorAndRecordsNothing(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		u := apitest.NewUpload(t, d, 1<<20)
		tp := u.Prospect(u.TokenA, "Panne")
		u.UploadOK(u.TokenA, tp, "avant.pdf", apitest.PDFBytes(100)) // the store works
		// Break the store after the server started: its folder becomes a file.
		if err := os.RemoveAll(u.StoreDir); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(u.StoreDir, []byte("not a folder"), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, size := range []int{200, 1<<20 - 1000} { // in memory and spilled to disk by the transport
			r := u.Upload(u.TokenA, tp, "pendant.pdf", "application/pdf", apitest.PDFBytes(size), nil)
			if c := r.Code(); c != "INTERNAL" && c != "BAD_USER_INPUT" {
				t.Errorf("%d bytes on a broken store: want INTERNAL or BAD_USER_INPUT, got status %d %+v", size, r.Status, r.Errors)
			}
			if r.Data["uploadDocument"] != nil {
				t.Errorf("%d bytes on a broken store: a document was returned: %v", size, r.Data)
			}
			if ids := u.DocumentIDs(u.TokenA, tp); len(ids) != 1 {
				t.Errorf("%d bytes on a broken store: documents %v, want only the one from before", size, ids)
			}
		}
		// Repaired, it works again.
		if err := os.Remove(u.StoreDir); err != nil {
			t.Fatal(err)
		}
		u.UploadOK(u.TokenA, tp, "après.pdf", apitest.PDFBytes(300))
		if ids := u.DocumentIDs(u.TokenA, tp); len(ids) != 2 {
			t.Errorf("documents after repair: %v", ids)
		}
	})
}

func TestUploadDocument_ClientDisconnectingMidUploadLeavesNoRowAndNoFile(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where the transport spills uploads and fileblob writes
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		u := apitest.NewUpload(t, d, 1<<20)
		tp := u.Prospect(u.TokenA, "Coupure")
		for _, tc := range []struct {
			name       string
			size, sent int // file size announced, bytes of body sent
		}{
			{"spilled to disk by the transport", 900 << 10, 600 << 10},
			{"held in memory by the transport", 200 << 10, 100 << 10},
			{"cut in the part headers", 900 << 10, 700},
		} {
			t.Run(tc.name, func(t *testing.T) {
				u := u.With(t)
				body, ct := apitest.MultipartBody(t, apitest.UploadOperations(tp, nil), `{"0":["variables.file"]}`,
					apitest.FilePart{Field: "0", Filename: "coupé.pdf", ContentType: "application/pdf", Data: apitest.PDFBytes(tc.size)})
				handled := u.Logs.Handled("/graphql")
				conn, err := net.Dial("tcp", strings.TrimPrefix(u.Server.URL, "http://"))
				if err != nil {
					t.Fatal(err)
				}
				head := fmt.Sprintf("POST /graphql HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\nGraphQL-Require-Preflight: 1\r\nContent-Length: %d\r\n\r\n",
					strings.TrimPrefix(u.Server.URL, "http://"), u.TokenA, ct, len(body))
				if _, err := conn.Write(append([]byte(head), body[:tc.sent]...)); err != nil {
					t.Fatal(err)
				}
				time.Sleep(50 * time.Millisecond)
				_ = conn.Close()
				u.WaitHandled("/graphql", handled+1)

				if ids := u.DocumentIDs(u.TokenA, tp); len(ids) != 0 {
					t.Errorf("an interrupted upload recorded documents: %v", ids)
				}
				u.NoStoreFiles("after an interrupted upload")
				if left := append(apitest.TempFiles(t, tmp, "gqlgen-*"), apitest.TempFiles(t, tmp, "*.tmp")...); len(left) > 0 {
					t.Errorf("temporary files left behind: %v", left)
				}
			})
		}
		// The server is still fine.
		u.UploadOK(u.TokenA, tp, "entier.pdf", apitest.PDFBytes(1000))
	})
}

// In production the store is a folder of its own (CARNET_DATA_DIR), often
// a mounted volume, not on the file system of the temporary folder.
func TestUploadDocument_StoreOnAnotherFileSystemThanTheTemporaryFolderWorks(t *testing.T) {
	const other = "/dev/shm"
	if !otherDevice(os.TempDir(), other) {
		t.Skipf("%s is not on another file system than %s", other, os.TempDir())
	}
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		dir, err := os.MkdirTemp(other, "carnet-store-")
		if err != nil {
			t.Skipf("cannot write in %s: %v", other, err)
		}
		t.Cleanup(func() { _ = os.RemoveAll(dir) })
		u := apitest.NewUploadIn(t, d, filepath.Join(dir, "documents"), 1<<20)
		tp := u.Prospect(u.TokenA, "Volume")
		data := apitest.PDFBytes(2048)
		r := u.Upload(u.TokenA, tp, "volume.pdf", "application/pdf", data, nil)
		if len(r.Errors) > 0 {
			t.Fatalf("upload to a store on another file system: %+v", r.Errors)
		}
		if u.BlobWith(data) == "" {
			t.Fatalf("file not stored: %v", u.StoreFiles())
		}
	})
}

// otherDevice reports whether two existing paths are on different devices.
func otherDevice(a, b string) bool {
	var sa, sb syscall.Stat_t
	if syscall.Stat(a, &sa) != nil || syscall.Stat(b, &sb) != nil {
		return false
	}
	return sa.Dev != sb.Dev
}

// Names as long as the record or the file allow still print and upload:
// the title, which defaults to the file name, is shortened to its 200
// characters rather than refused.
func TestDocuments_LongNamesAreShortenedIntoTheTitle(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		u := apitest.NewUpload(t, d, 1<<20)
		long := strings.Repeat("𝔸", 200) // a valid name: 200 characters, 800 bytes
		tp := u.Prospect(u.TokenA, long)
		tpl := apitest.Str(u.OK(u.TokenA, `{ printTemplates { id } }`, nil), "printTemplates.0.id")
		for _, f := range []string{"HTML", "VCARD"} {
			p := apitest.Get(u.OK(u.TokenA, apitest.PrintSheet, map[string]any{"id": tp, "t": tpl, "f": f, "a": true}), "printThirdParty")
			name := apitest.Str(p, "filename")
			if len(name) > 255 || utf8.RuneCountInString(name) > 200 || !strings.HasPrefix(name, "𝔸𝔸") || apitest.Str(p, "document.title") != name {
				t.Fatalf("%s print of a long name: %q (%d bytes), title %q", f, name, len(name), apitest.Str(p, "document.title"))
			}
		}
		file := strings.Repeat("a", 210) + ".pdf"
		r := u.Upload(u.TokenA, tp, file, "application/pdf", apitest.PDFBytes(100), nil)
		if len(r.Errors) > 0 {
			t.Fatalf("upload of a long file name: %+v", r.Errors)
		}
		if title := apitest.Str(r.Data["uploadDocument"], "title"); title != file[:200] {
			t.Fatalf("title %q, want the file name's first 200 characters", title)
		}
		// A title given is still refused past 200 characters.
		r = u.Upload(u.TokenA, tp, "devis.pdf", "application/pdf", apitest.PDFBytes(100), strp(strings.Repeat("t", 201)))
		if r.Code() != "BAD_USER_INPUT" || r.Field() != "title" {
			t.Fatalf("a title of 201 characters: %+v", r.Errors)
		}
	})
}
