package graphiql_test

import (
	"bytes"
	"compress/gzip"
	"html"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"carnet/internal/server/graphiql"
)

// The vendored files are those fetch.sh fetched: each one's SHA-384,
// recomputed, is the one it recorded, which the page's integrity
// attributes carry. An edited or replaced file fails here (and would
// fail to load in a browser).
func TestVendoredFilesMatchTheSHA384RecordedWhenFetched(t *testing.T) {
	recorded, err := graphiql.Integrity()
	if err != nil {
		t.Fatal(err)
	}
	vendored, err := fs.Glob(os.DirFS("vendor"), "*.[jc]s*")
	if err != nil {
		t.Fatal(err)
	}
	if len(vendored) != 4 || len(recorded) != len(vendored) {
		t.Fatalf("vendor/ has %v, SHA384SUMS lists %v", vendored, recorded)
	}
	for _, name := range vendored {
		b, err := os.ReadFile("vendor/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if got := graphiql.Digest(b); got != recorded[name] {
			t.Errorf("vendor/%s: SHA-384 %s, fetch.sh recorded %s: run fetch.sh again", name, got, recorded[name])
		}
	}
}

// Browsers refuse a header value outside Latin-1: the placeholder a user
// edits, and may send as is, has plain ASCII only.
func TestHeadersPlaceholderIsASCII(t *testing.T) {
	for i, r := range graphiql.HeadersPlaceholder {
		if r > 0x7e || r < 0x20 && r != '\n' {
			t.Fatalf("the headers placeholder has %q at byte %d", r, i)
		}
	}
}

func TestPageLoadsEachFileWithItsIntegrityTypeAndCacheHeaders(t *testing.T) {
	h, err := graphiql.New("/graphql")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Fatalf("page Content-Type %q", ct)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); csp != graphiql.CSP || strings.Contains(csp, "unsafe") {
		t.Fatalf("page Content-Security-Policy %q", csp)
	}
	if strings.Contains(string(page), "<script>") || strings.Contains(string(page), "<style") || regexp.MustCompile(`(src|href)="(https?:)?//`).Match(page) {
		t.Fatalf("the page has inline code or a file from elsewhere:\n%s", page)
	}
	tags := regexp.MustCompile(`(?:src|href)="(/graphiql/[^"?]+)\?v=[0-9a-f]+" integrity="([^"]+)"`).FindAllStringSubmatch(string(page), -1)
	if len(tags) != 6 {
		t.Fatalf("the page loads %d files with integrity, want 6:\n%s", len(tags), page)
	}
	for _, tag := range tags {
		path, integrity := tag[1], html.UnescapeString(tag[2])
		for _, gz := range []bool{false, true} {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
			if gz {
				req.Header.Set("Accept-Encoding", "gzip")
			} else {
				req.Header.Set("Accept-Encoding", "identity")
			}
			resp, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			var body io.Reader = resp.Body
			if gz {
				if resp.Header.Get("Content-Encoding") != "gzip" {
					t.Fatalf("%s: not gzipped for a client that takes gzip", path)
				}
				if body, err = gzip.NewReader(resp.Body); err != nil {
					t.Fatal(err)
				}
			}
			b, _ := io.ReadAll(body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || graphiql.Digest(b) != integrity {
				t.Fatalf("%s (gzip %v): %d, SHA-384 %s, the page says %s", path, gz, resp.StatusCode, graphiql.Digest(b), integrity)
			}
			want := "text/javascript; charset=utf-8"
			if strings.HasSuffix(path, ".css") {
				want = "text/css; charset=utf-8"
			}
			if ct := resp.Header.Get("Content-Type"); ct != want {
				t.Fatalf("%s: Content-Type %q, want %q", path, ct, want)
			}
			if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
				t.Fatalf("%s: Cache-Control %q", path, cc)
			}
		}
	}
	resp, err = http.Get(srv.URL + "/graphiql/nothing.js")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || !bytes.Contains(b, []byte(`"NOT_FOUND"`)) {
		t.Fatalf("unknown file: %d %s", resp.StatusCode, b)
	}
}
