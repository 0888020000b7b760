package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"carnet/ent"
	"carnet/internal/admin"
	"carnet/internal/db"
	"carnet/internal/documents"
	"carnet/internal/server"
)

// Helpers of the document, activity and opportunity tests.

// rManageDocs is the right to upload and delete documents (100004).
const rManageDocs = 100004

// uploadEnv is an env whose document store lives in a folder the test
// knows (storeDir), so that it can look at the files on disk, and whose
// server logs are recorded (to know when a request has been handled).
type uploadEnv struct {
	*env
	storeDir string
	logs     *requestLog
}

// newUploadEnv builds the server like newEnv, with a store of maxSize
// bytes in a folder of its own.
func newUploadEnv(t *testing.T, d *db.DB, maxSize int64) *uploadEnv {
	t.Helper()
	return newUploadEnvIn(t, d, filepath.Join(t.TempDir(), "documents"), maxSize)
}

// newUploadEnvIn is newUploadEnv with the store in dir (created by the
// store, as in production).
func newUploadEnvIn(t *testing.T, d *db.DB, dir string, maxSize int64) *uploadEnv {
	t.Helper()
	ctx := context.Background()
	e := &env{t: t, db: d}
	err := db.WithTx(ctx, d.Client, func(tx *ent.Client) error {
		var err error
		if e.a, err = admin.CreateOrganisation(ctx, tx, "Alpha", "admin@alpha.example"); err != nil {
			return err
		}
		e.b, err = admin.CreateOrganisation(ctx, tx, "Bêta", "admin@beta.example")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	e.tokenA, e.tokenB = e.a.Token, e.b.Token
	u, err := documents.LocalURL(dir)
	if err != nil {
		t.Fatal(err)
	}
	store, err := documents.Open(ctx, u, maxSize)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	e.store = store
	logs := &requestLog{}
	e.srv = httptest.NewServer(server.New(server.Config{
		Client: d.Client, Ping: d.SQL.PingContext, Logger: slog.New(logs), Documents: store,
	}))
	t.Cleanup(e.srv.Close)
	return &uploadEnv{env: e, storeDir: dir, logs: logs}
}

// with returns the env reporting to t.
func (u *uploadEnv) with(t *testing.T) *uploadEnv {
	c := *u
	c.env = u.env.with(t)
	return &c
}

// requestLog is a slog handler that counts the server's "request" lines,
// written once a request has been fully handled.
type requestLog struct {
	mu   sync.Mutex
	done map[string]int // path → handled requests
}

func (l *requestLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *requestLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *requestLog) WithGroup(string) slog.Handler            { return l }
func (l *requestLog) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "request" {
		return nil
	}
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "path" {
			l.mu.Lock()
			if l.done == nil {
				l.done = map[string]int{}
			}
			l.done[a.Value.String()]++
			l.mu.Unlock()
			return false
		}
		return true
	})
	return nil
}

// handled returns how many requests of path the server has finished.
func (l *requestLog) handled(path string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.done[path]
}

// waitHandled waits until the server has finished n requests of path.
func (u *uploadEnv) waitHandled(path string, n int) {
	u.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for u.logs.handled(path) < n {
		if time.Now().After(deadline) {
			u.t.Fatalf("the server did not finish request %d of %s in time", n, path)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// storeFiles lists the regular files under the store's folder (blobs,
// their .attrs sidecars, anything left behind), relative to it.
func (u *uploadEnv) storeFiles() []string {
	u.t.Helper()
	var out []string
	err := filepath.WalkDir(u.storeDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && p == u.storeDir {
				return nil
			}
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(u.storeDir, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		u.t.Fatalf("walk the store: %v", err)
	}
	slices.Sort(out)
	return out
}

// blobs is storeFiles without the .attrs sidecars: the stored files.
func (u *uploadEnv) blobs() []string {
	var out []string
	for _, f := range u.storeFiles() {
		if !strings.HasSuffix(f, ".attrs") {
			out = append(out, f)
		}
	}
	return out
}

// noStoreFiles fails when any file is left in the store.
func (u *uploadEnv) noStoreFiles(when string) {
	u.t.Helper()
	if files := u.storeFiles(); len(files) > 0 {
		u.t.Fatalf("%s: files left in the store: %v", when, files)
	}
}

// blobWith returns the stored file whose bytes are data, or "".
func (u *uploadEnv) blobWith(data []byte) string {
	u.t.Helper()
	for _, f := range u.blobs() {
		b, err := os.ReadFile(filepath.Join(u.storeDir, f))
		if err != nil {
			u.t.Fatal(err)
		}
		if bytes.Equal(b, data) {
			return f
		}
	}
	return ""
}

// filePart is a file part of a multipart request.
type filePart struct {
	field       string // form field name, the key of the map
	filename    string
	contentType string // "" sends none
	data        []byte
}

// multipartBody builds a request per the GraphQL multipart request
// specification: operations, map, then the files, in that order. Raw
// strings are sent as they are (to send malformed parts).
func multipartBody(t testing.TB, operations, fileMap string, files ...filePart) (body []byte, contentType string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if operations != "" {
		if err := w.WriteField("operations", operations); err != nil {
			t.Fatal(err)
		}
	}
	if fileMap != "" {
		if err := w.WriteField("map", fileMap); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`, f.field, strings.ReplaceAll(f.filename, `"`, `\"`)))
		if f.contentType != "" {
			h.Set("Content-Type", f.contentType)
		}
		p, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Write(f.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), w.FormDataContentType()
}

const uploadDocument = `mutation($owner: ID!, $file: Upload!, $title: String) {
  uploadDocument(ownerId: $owner, file: $file, title: $title) { id title filename contentType size sha256 url createdAt author { id } }
}`

// uploadOperations is the operations part of an upload of one file to
// owner, the file's variable being null as the specification wants.
func uploadOperations(owner string, title *string) string {
	vars := map[string]any{"owner": owner, "file": nil}
	if title != nil {
		vars["title"] = *title
	}
	b, _ := json.Marshal(map[string]any{"query": uploadDocument, "variables": vars})
	return string(b)
}

// multipartOptions are the transport variations of postMultipart.
type multipartOptions struct {
	noPreflight bool // omit GraphQL-Require-Preflight
	chunked     bool // no Content-Length: Transfer-Encoding chunked
}

// postMultipart posts a multipart body to /graphql with token and decodes
// the answer. A body that is not JSON fails the test, as does a dropped
// connection.
func (u *uploadEnv) postMultipart(token string, body []byte, contentType string, opt multipartOptions) *result {
	u.t.Helper()
	var rd io.Reader = bytes.NewReader(body)
	if opt.chunked {
		rd = struct{ io.Reader }{rd} // unknown length
	}
	req, err := http.NewRequest(http.MethodPost, u.srv.URL+"/graphql", rd)
	if err != nil {
		u.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if !opt.noPreflight {
		req.Header.Set("GraphQL-Require-Preflight", "1")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		u.t.Fatalf("multipart request: %v", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		u.t.Fatalf("multipart response: %v", err)
	}
	r := &result{Status: resp.StatusCode}
	if err := json.Unmarshal(raw, r); err != nil {
		u.t.Fatalf("decode response (status %d): %v: %q", resp.StatusCode, err, raw)
	}
	return r
}

// upload sends one file to owner per the specification, with the
// preflight header.
func (u *uploadEnv) upload(token, owner, filename, contentType string, data []byte, title *string) *result {
	u.t.Helper()
	body, ct := multipartBody(u.t, uploadOperations(owner, title), `{"0":["variables.file"]}`,
		filePart{field: "0", filename: filename, contentType: contentType, data: data})
	return u.postMultipart(token, body, ct, multipartOptions{})
}

// uploadOK uploads and fails the test on any error; it returns the
// Document.
func (u *uploadEnv) uploadOK(token, owner, filename string, data []byte) map[string]any {
	u.t.Helper()
	r := u.upload(token, owner, filename, "application/octet-stream", data, nil)
	if len(r.Errors) > 0 {
		u.t.Fatalf("upload %q: %+v", filename, r.Errors)
	}
	doc, _ := r.Data["uploadDocument"].(map[string]any)
	if doc == nil {
		u.t.Fatalf("upload %q: no document in %v", filename, r.Data)
	}
	return doc
}

// download GETs a document URL with token ("" for none).
func (u *uploadEnv) download(token, url string) (*http.Response, []byte) {
	u.t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		u.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		u.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		u.t.Fatal(err)
	}
	return resp, b
}

const documentsOf = `query($id: ID!) { node(id: $id) {
  ... on ThirdParty { documents(first: 50) { totalCount edges { node { id title filename } } } }
  ... on Contact { documents(first: 50) { totalCount edges { node { id title filename } } } }
} }`

// documentIDs lists the IDs of the documents of a third party or a
// contact, as token sees them, in the API's order.
func (u *uploadEnv) documentIDs(token, owner string) []string {
	u.t.Helper()
	d := u.ok(token, documentsOf, map[string]any{"id": owner})
	var out []string
	for i := 0; ; i++ {
		id := str(d, fmt.Sprintf("node.documents.edges.%d.node.id", i))
		if id == "" {
			break
		}
		out = append(out, id)
	}
	if n := int(num(d, "node.documents.totalCount")); n != len(out) {
		u.t.Fatalf("documents of %s: totalCount %d but %d edges", owner, n, len(out))
	}
	return out
}

// pdfBytes is a small file that looks like a PDF, n bytes long.
func pdfBytes(n int) []byte {
	b := make([]byte, n)
	copy(b, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	for i := 16; i < n; i++ {
		b[i] = byte('a' + i%26)
	}
	return b
}

// tempFiles lists the files of dir whose name matches pattern.
func tempFiles(t *testing.T, dir, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// sameIDSet reports whether a and b hold the same strings, in any order.
func sameIDSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
