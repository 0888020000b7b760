package apitest

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"carnet/internal/sirene"
)

// FakeSirene is INSEE's API Sirene as the tests see it: it serves the
// fixtures of internal/sirene/testdata with the real statuses and records
// what it received. Down makes every answer a 503.
type FakeSirene struct {
	*httptest.Server
	Calls atomic.Int64
	mu    sync.Mutex
	Paths []string
	Keys  []string
	// traceparents are the W3C traceparent headers received, when any.
	traceparents []string
	Down         atomic.Bool
	// Foreign serves the company's establishment in a country INSEE
	// names without a code Carnet knows (Peru).
	Foreign atomic.Bool
	// hold, when set, makes answers wait (see Hold).
	hold atomic.Pointer[gate]
}

// gate holds the fake's answers: entered receives once per request that
// waits, released is closed to let them all through.
type gate struct {
	entered  chan struct{}
	released chan struct{}
	once     sync.Once
}

// Hold makes every answer wait until release is called (at the latest
// when the test ends); entered receives once per request that waits, so a
// test knows a look-up is in flight.
func (f *FakeSirene) Hold(t testing.TB) (entered <-chan struct{}, release func()) {
	g := &gate{entered: make(chan struct{}, 16), released: make(chan struct{})}
	f.hold.Store(g)
	release = func() {
		g.once.Do(func() {
			f.hold.CompareAndSwap(g, nil)
			close(g.released)
		})
	}
	t.Cleanup(release)
	return g.entered, release
}

// SireneKey is the API key ConfigureSirene gives Carnet and FakeSirene
// expects.
const SireneKey = "test-key-123"

// NewFakeSirene starts a FakeSirene for the duration of the test and
// lifts Carnet's rate limit of SIRENE calls.
func NewFakeSirene(t testing.TB) *FakeSirene {
	t.Helper()
	sirene.SetRateLimit(6000, 100)
	f := &FakeSirene{}
	fixture := func(name string) []byte {
		b, err := os.ReadFile("../sirene/testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.Calls.Add(1)
		f.mu.Lock()
		f.Paths = append(f.Paths, r.URL.Path)
		f.Keys = append(f.Keys, r.Header.Get("X-INSEE-Api-Key-Integration"))
		if tp := r.Header.Get("Traceparent"); tp != "" {
			f.traceparents = append(f.traceparents, tp)
		}
		f.mu.Unlock()
		if g := f.hold.Load(); g != nil {
			select {
			case g.entered <- struct{}{}:
			default:
			}
			<-g.released
		}
		w.Header().Set("Content-Type", "application/json")
		if f.Down.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		switch r.URL.Path {
		case "/siret/20000982700037":
			b := fixture("siret_company.json")
			if f.Foreign.Load() {
				b = bytes.Replace(b, []byte(`"codePaysEtrangerEtablissement": null`), []byte(`"codePaysEtrangerEtablissement": "99420"`), 1)
				b = bytes.Replace(b, []byte(`"libellePaysEtrangerEtablissement": null`), []byte(`"libellePaysEtrangerEtablissement": "PEROU"`), 1)
				b = bytes.Replace(b, []byte(`"libelleCommuneEtrangerEtablissement": null`), []byte(`"libelleCommuneEtrangerEtablissement": "LIMA"`), 1)
			}
			_, _ = w.Write(b)
		case "/siren/200009827":
			_, _ = w.Write(fixture("siren_company_periodes.json"))
		case "/siret/44306184100047":
			w.WriteHeader(http.StatusForbidden)
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write(fixture("error_404.json"))
		}
	}))
	t.Cleanup(f.Close)
	return f
}

// ConfigureSirene enables SIRENE for the organisation of the
// administrator token, pointed at f.
func (e *Env) ConfigureSirene(token string, f *FakeSirene) {
	e.T.Helper()
	e.OK(token, `mutation($u: String!, $k: String!) { configureSirene(input: {enabled: true, baseUrl: $u, apiKey: $k}) { sireneConfigured } }`,
		map[string]any{"u": f.URL, "k": SireneKey})
}

// Traceparents returns the W3C traceparent headers received so far.
func (f *FakeSirene) Traceparents() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.traceparents)
}
