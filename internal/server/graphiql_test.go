package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"carnet/internal/server"
	"carnet/internal/testdb"
)

func TestGraphiQL_ServedInDevelopmentNotInProductionUnlessAsked(t *testing.T) {
	d := testdb.Open(t, testdb.Dialects()[0])
	for _, c := range []struct {
		name       string
		production bool
		mode       server.GraphiQLMode
		served     bool
	}{
		{"development", false, server.GraphiQLDefault, true},
		{"development, off", false, server.GraphiQLOff, false},
		{"production", true, server.GraphiQLDefault, false},
		{"production, on", true, server.GraphiQLOn, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			mode := c.mode
			srv := httptest.NewServer(server.New(server.Config{Client: d.Client, Production: c.production, GraphiQL: mode,
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
			defer srv.Close()
			for _, path := range []string{"/", "/graphiql/carnet.js"} {
				resp, err := http.Get(srv.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if !c.served {
					// Like any unknown path: a GraphQL-shaped NOT_FOUND.
					if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), `"NOT_FOUND"`) {
						t.Fatalf("GET %s with the page off: %d %s", path, resp.StatusCode, body)
					}
					continue
				}
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
				}
				if path == "/" && !strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'self';") {
					t.Fatalf("the page's Content-Security-Policy: %q", resp.Header.Get("Content-Security-Policy"))
				}
			}
		})
	}
}
