package apitest

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

	"carnet/internal/db"
	"carnet/internal/documents"
	"carnet/internal/exports"
	"carnet/internal/server"
)

// Helpers of the document, activity and opportunity tests.

// RightManageDocs is the right to upload and delete documents (100004).
const RightManageDocs = 100004

// UploadEnv is an Env whose document store lives in a folder the test
// knows (storeDir), so that it can look at the files on disk, and whose
// server logs are recorded (to know when a request has been handled).
type UploadEnv struct {
	*Env
	StoreDir string
	Logs     *requestLog
}

// NewUpload builds the server like New, with a store of maxSize
// bytes in a folder of its own.
func NewUpload(t testing.TB, d *db.DB, maxSize int64) *UploadEnv {
	t.Helper()
	return NewUploadIn(t, d, filepath.Join(t.TempDir(), "documents"), maxSize)
}

// NewUploadIn is NewUpload with the store in dir (created by the
// store, as in production).
func NewUploadIn(t testing.TB, d *db.DB, dir string, maxSize int64) *UploadEnv {
	t.Helper()
	return newUpload(t, d, dir, maxSize, func(*server.Config) {})
}

// NewExports builds the server like NewUpload (a store of 1 MiB per
// file), with an export runner of opt that the test holds, to stop it
// half-way.
func NewExports(t testing.TB, d *db.DB, opt exports.Options) (*UploadEnv, *exports.Runner) {
	t.Helper()
	var runner *exports.Runner
	u := newUpload(t, d, filepath.Join(t.TempDir(), "documents"), 1<<20, func(cfg *server.Config) {
		runner = exports.NewRunner(cfg.Client, cfg.Documents, opt)
		cfg.Exports = runner
	})
	return u, runner
}

func newUpload(t testing.TB, d *db.DB, dir string, maxSize int64, configure func(*server.Config)) *UploadEnv {
	t.Helper()
	ctx := context.Background()
	e := withOrganisations(t, d)
	u, err := documents.LocalURL(dir)
	if err != nil {
		t.Fatal(err)
	}
	store, err := documents.Open(ctx, u, maxSize)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	e.Store = store
	logs := &requestLog{}
	cfg := server.Config{
		Client: d.Client, Ping: d.SQL.PingContext, Logger: slog.New(logs), Documents: store,
	}
	configure(&cfg)
	e.Server = httptest.NewServer(server.New(cfg))
	t.Cleanup(e.Server.Close)
	return &UploadEnv{Env: e, StoreDir: dir, Logs: logs}
}

// With returns the UploadEnv reporting to t.
func (u *UploadEnv) With(t testing.TB) *UploadEnv {
	c := *u
	c.Env = u.Env.With(t)
	return &c
}

// requestLog is a slog handler that counts the server's "request" lines,
// written once a request has been fully handled.
type requestLog struct {
	mu   sync.Mutex
	done map[string]int // path → handled requests
}

// Enabled, WithAttrs, WithGroup and Handle make requestLog a slog.Handler.
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

// Handled returns how many requests of path the server has finished.
func (l *requestLog) Handled(path string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.done[path]
}

// WaitHandled waits until the server has finished n requests of path.
func (u *UploadEnv) WaitHandled(path string, n int) {
	u.T.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for u.Logs.Handled(path) < n {
		if time.Now().After(deadline) {
			u.T.Fatalf("the server did not finish request %d of %s in time", n, path)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// StoreFiles lists the regular files under the store's folder (blobs,
// their .attrs sidecars, anything left behind), relative to it.
func (u *UploadEnv) StoreFiles() []string {
	u.T.Helper()
	var out []string
	err := filepath.WalkDir(u.StoreDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && p == u.StoreDir {
				return nil
			}
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(u.StoreDir, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		u.T.Fatalf("walk the store: %v", err)
	}
	slices.Sort(out)
	return out
}

// blobs is storeFiles without the .attrs sidecars: the stored files.
func (u *UploadEnv) blobs() []string {
	var out []string
	for _, f := range u.StoreFiles() {
		if !strings.HasSuffix(f, ".attrs") {
			out = append(out, f)
		}
	}
	return out
}

// NoStoreFiles fails when any file is left in the store.
func (u *UploadEnv) NoStoreFiles(when string) {
	u.T.Helper()
	if files := u.StoreFiles(); len(files) > 0 {
		u.T.Fatalf("%s: files left in the store: %v", when, files)
	}
}

// BlobWith returns the stored file whose bytes are data, or "".
func (u *UploadEnv) BlobWith(data []byte) string {
	u.T.Helper()
	for _, f := range u.blobs() {
		b, err := os.ReadFile(filepath.Join(u.StoreDir, f))
		if err != nil {
			u.T.Fatal(err)
		}
		if bytes.Equal(b, data) {
			return f
		}
	}
	return ""
}

// FilePart is a file part of a multipart request.
type FilePart struct {
	Field       string // form field name, the key of the map
	Filename    string
	ContentType string // "" sends none
	Data        []byte
}

// MultipartBody builds a request per the GraphQL multipart request
// specification: operations, map, then the files, in that order. Raw
// strings are sent as they are (to send malformed parts).
func MultipartBody(t testing.TB, operations, fileMap string, files ...FilePart) (body []byte, contentType string) {
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
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`, f.Field, strings.ReplaceAll(f.Filename, `"`, `\"`)))
		if f.ContentType != "" {
			h.Set("Content-Type", f.ContentType)
		}
		p, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Write(f.Data); err != nil {
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

// UploadOperations is the operations part of an upload of one file to
// owner, the file's variable being null as the specification wants.
func UploadOperations(owner string, title *string) string {
	vars := map[string]any{"owner": owner, "file": nil}
	if title != nil {
		vars["title"] = *title
	}
	b, _ := json.Marshal(map[string]any{"query": uploadDocument, "variables": vars})
	return string(b)
}

// MultipartOptions are the transport variations of postMultipart.
type MultipartOptions struct {
	NoPreflight bool // omit GraphQL-Require-Preflight
	Chunked     bool // no Content-Length: Transfer-Encoding chunked
}

// PostMultipart posts a multipart body to /graphql with token and decodes
// the answer. A body that is not JSON fails the test, as does a dropped
// connection.
func (u *UploadEnv) PostMultipart(token string, body []byte, contentType string, opt MultipartOptions) *Result {
	u.T.Helper()
	var rd io.Reader = bytes.NewReader(body)
	if opt.Chunked {
		rd = struct{ io.Reader }{rd} // unknown length
	}
	req, err := http.NewRequest(http.MethodPost, u.Server.URL+"/graphql", rd)
	if err != nil {
		u.T.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if !opt.NoPreflight {
		req.Header.Set("GraphQL-Require-Preflight", "1")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		u.T.Fatalf("multipart request: %v", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		u.T.Fatalf("multipart response: %v", err)
	}
	r := &Result{Status: resp.StatusCode}
	if err := json.Unmarshal(raw, r); err != nil {
		u.T.Fatalf("decode response (status %d): %v: %q", resp.StatusCode, err, raw)
	}
	return r
}

// Upload sends one file to owner per the specification, with the
// preflight header.
func (u *UploadEnv) Upload(token, owner, filename, contentType string, data []byte, title *string) *Result {
	u.T.Helper()
	body, ct := MultipartBody(u.T, UploadOperations(owner, title), `{"0":["variables.file"]}`,
		FilePart{Field: "0", Filename: filename, ContentType: contentType, Data: data})
	return u.PostMultipart(token, body, ct, MultipartOptions{})
}

// UploadOK uploads and fails the test on any error; it returns the
// Document.
func (u *UploadEnv) UploadOK(token, owner, filename string, data []byte) map[string]any {
	u.T.Helper()
	r := u.Upload(token, owner, filename, "application/octet-stream", data, nil)
	if len(r.Errors) > 0 {
		u.T.Fatalf("upload %q: %+v", filename, r.Errors)
	}
	doc, _ := r.Data["uploadDocument"].(map[string]any)
	if doc == nil {
		u.T.Fatalf("upload %q: no document in %v", filename, r.Data)
	}
	return doc
}

// Download GETs a document URL with token ("" for none).
func (u *UploadEnv) Download(token, url string) (*http.Response, []byte) {
	u.T.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		u.T.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		u.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		u.T.Fatal(err)
	}
	return resp, b
}

const documentsOf = `query($id: ID!) { node(id: $id) {
  ... on ThirdParty { documents(first: 50) { totalCount edges { node { id title filename } } } }
  ... on Contact { documents(first: 50) { totalCount edges { node { id title filename } } } }
} }`

// DocumentIDs lists the IDs of the documents of a third party or a
// contact, as token sees them, in the API's order.
func (u *UploadEnv) DocumentIDs(token, owner string) []string {
	u.T.Helper()
	d := u.OK(token, documentsOf, map[string]any{"id": owner})
	var out []string
	for i := 0; ; i++ {
		id := Str(d, fmt.Sprintf("node.documents.edges.%d.node.id", i))
		if id == "" {
			break
		}
		out = append(out, id)
	}
	if n := int(Num(d, "node.documents.totalCount")); n != len(out) {
		u.T.Fatalf("documents of %s: totalCount %d but %d edges", owner, n, len(out))
	}
	return out
}

// PDFBytes is a small file that looks like a PDF, n bytes long.
func PDFBytes(n int) []byte {
	b := make([]byte, n)
	copy(b, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	for i := 16; i < n; i++ {
		b[i] = byte('a' + i%26)
	}
	return b
}

// TempFiles lists the files of dir whose name matches pattern.
func TempFiles(t testing.TB, dir, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		t.Fatal(err)
	}
	return m
}
