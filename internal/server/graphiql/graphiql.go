// Package graphiql serves GraphiQL from the binary: the page, the builds
// of GraphiQL, React and ReactDOM pinned in vendor/ (fetch.sh re-fetches
// them from the npm registry), and Carnet's boot script. Nothing comes
// from a CDN, so the page works wherever the API does, and its
// Content-Security-Policy allows scripts of this origin only.
package graphiql

import (
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"path"
	"strings"
	"sync"

	"carnet/internal/errs"
)

// Prefix is the path under which the page's scripts and styles are served.
const Prefix = "/graphiql/"

// HeadersPlaceholder is the headers editor's first content. Browsers
// refuse a header value with characters outside Latin-1, so it has none.
const HeadersPlaceholder = `{
  "Authorization": "Bearer carnet_... paste a token here"
}`

// defaultQuery is the query editor's first content.
const defaultQuery = `# Paste your token in the Headers tab below.
query Search($q: String = "a") {
  search(query: $q, first: 5) {
    kind
    label
    detail
  }
}
`

// CSP is the page's Content-Security-Policy: everything from this
// origin, fonts and icons inlined in GraphiQL's stylesheet as data URLs.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

//go:embed carnet.js carnet.css vendor/*.js vendor/*.css
var files embed.FS

// sums holds the SHA-384 of each vendored file, written by fetch.sh when
// it fetched them (a test recomputes them).
//
//go:embed vendor/SHA384SUMS
var sums string

// asset is one file of the page.
type asset struct {
	body        []byte
	contentType string
	integrity   string // Subresource Integrity: "sha384-…"
	version     string // a digest of body, in the URL so caches may keep it for good

	gzipOnce sync.Once
	gzipped  []byte
}

// Integrity returns the integrity recorded for each vendored file by
// fetch.sh, by file name.
func Integrity() (map[string]string, error) {
	m := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(sums), "\n") {
		hash, name, ok := strings.Cut(line, "  ")
		if !ok || !strings.HasPrefix(hash, "sha384-") {
			return nil, fmt.Errorf("graphiql: bad line in vendor/SHA384SUMS: %q", line)
		}
		m[name] = hash
	}
	return m, nil
}

// Digest returns the Subresource Integrity value of b.
func Digest(b []byte) string {
	sum := sha512.Sum384(b)
	return "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
}

// Handler serves the page at / and its files under Prefix.
type Handler struct {
	page   []byte
	assets map[string]*asset
}

// New returns the handler of a page that sends GraphQL requests to
// endpoint.
func New(endpoint string) (*Handler, error) {
	assets, err := loadAssets()
	if err != nil {
		return nil, err
	}
	h := &Handler{assets: assets}
	var page bytes.Buffer
	err = pageTemplate.Execute(&page, map[string]any{
		"Endpoint": endpoint, "Headers": HeadersPlaceholder, "Query": defaultQuery,
		"Styles":  h.tags("graphiql.min.css", "carnet.css"),
		"Scripts": h.tags("react.production.min.js", "react-dom.production.min.js", "graphiql.min.js", "carnet.js"),
	})
	if err != nil {
		return nil, fmt.Errorf("graphiql: page: %w", err)
	}
	h.page = page.Bytes()
	return h, nil
}

// loadAssets reads the embedded files and their digests once per process
// (and compresses each once, when first asked for it).
var loadAssets = sync.OnceValues(func() (map[string]*asset, error) {
	recorded, err := Integrity()
	if err != nil {
		return nil, err
	}
	assets := map[string]*asset{}
	for _, name := range []string{"carnet.js", "carnet.css", "vendor/graphiql.min.css", "vendor/graphiql.min.js",
		"vendor/react-dom.production.min.js", "vendor/react.production.min.js"} {
		body, err := files.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("graphiql: %w", err)
		}
		a := &asset{body: body, integrity: Digest(body)}
		base := path.Base(name)
		if strings.HasPrefix(name, "vendor/") {
			// The hash recorded at fetch time, not one of what happens to
			// be embedded: an edited file fails to load rather than run.
			if a.integrity = recorded[base]; a.integrity == "" {
				return nil, fmt.Errorf("graphiql: %s has no line in vendor/SHA384SUMS", base)
			}
		}
		sum := sha512.Sum384(body)
		a.version = hex.EncodeToString(sum[:6])
		a.contentType = "text/javascript; charset=utf-8"
		if strings.HasSuffix(base, ".css") {
			a.contentType = "text/css; charset=utf-8"
		}
		assets[base] = a
	}
	return assets, nil
})

type tag struct{ URL, Integrity string }

func (h *Handler) tags(names ...string) []tag {
	var t []tag
	for _, n := range names {
		a := h.assets[n]
		t = append(t, tag{URL: Prefix + n + "?v=" + a.version, Integrity: a.integrity})
	}
	return t
}

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Carnet - GraphiQL</title>
<link rel="icon" href="data:,">
{{range .Styles}}<link rel="stylesheet" href="{{.URL}}" integrity="{{.Integrity}}">
{{end}}</head>
<body>
<div id="graphiql" data-endpoint="{{.Endpoint}}" data-headers="{{.Headers}}" data-query="{{.Query}}">Loading GraphiQL...</div>
<noscript>GraphiQL needs JavaScript.</noscript>
{{range .Scripts}}<script src="{{.URL}}" integrity="{{.Integrity}}"></script>
{{end}}</body>
</html>
`))

// ServeHTTP answers GET / with the page and GET Prefix+name with a file.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/" {
		hd := w.Header()
		hd.Set("Content-Type", "text/html; charset=utf-8")
		hd.Set("Cache-Control", "no-cache")
		hd.Set("Content-Security-Policy", CSP)
		_, _ = w.Write(h.page)
		return
	}
	a, ok := h.assets[strings.TrimPrefix(r.URL.Path, Prefix)]
	if !ok || !strings.HasPrefix(r.URL.Path, Prefix) {
		errs.WriteHTTPFor(w, r, http.StatusNotFound, errs.E(errs.NotFound, "no such file of GraphiQL's page"))
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", a.contentType)
	// Each URL carries its file's digest: a new file is a new URL.
	hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	hd.Set("Vary", "Accept-Encoding")
	body := a.body
	if acceptsGzip(r) {
		a.gzipOnce.Do(func() { a.gzipped = compress(a.body) })
		hd.Set("Content-Encoding", "gzip")
		body = a.gzipped
	}
	hd.Set("Content-Length", fmt.Sprint(len(body)))
	_, _ = w.Write(body)
}

// acceptsGzip reports whether the client takes gzip (GraphiQL's script
// is 3.5 MB, about 1 MB compressed).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") && strings.ReplaceAll(params, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

func compress(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}
