package sirene

import (
	"context"
	"sync"
)

// Settings are an organisation's SIRENE settings. Configured is false when
// the organisation never ran configureSirene: the process's default
// connection (CARNET_SIRENE_BASE_URL, CARNET_SIRENE_API_KEY) applies.
type Settings struct {
	Configured, Enabled bool
	BaseURL, APIKey     string
}

// Provider gives each organisation its client: its own settings, or the
// process's default connection. Clients (and so their caches) are shared
// by every organisation using the same base URL and key.
type Provider struct {
	defaults Config
	mu       sync.Mutex
	clients  map[string]*Client
}

// NewProvider returns a provider whose default connection is defaults
// (no default when defaults.APIKey is empty).
func NewProvider(defaults Config) *Provider {
	return &Provider{defaults: defaults, clients: map[string]*Client{}}
}

// Client returns the client of s, or nil when SIRENE is off for it.
func (p *Provider) Client(s Settings) *Client {
	if p == nil {
		return nil
	}
	cfg := p.defaults
	if s.Configured {
		if !s.Enabled {
			return nil
		}
		if s.BaseURL != "" {
			cfg.BaseURL = s.BaseURL
		}
		if s.APIKey != "" {
			cfg.APIKey = s.APIKey
		}
	}
	if cfg.APIKey == "" {
		return nil
	}
	key := cfg.BaseURL + "\x00" + cfg.APIKey
	p.mu.Lock()
	defer p.mu.Unlock()
	c, ok := p.clients[key]
	if !ok {
		c = New(cfg)
		p.clients[key] = c
	}
	return c
}

type providerKey struct{}

// WithProvider returns ctx carrying p.
func WithProvider(ctx context.Context, p *Provider) context.Context {
	return context.WithValue(ctx, providerKey{}, p)
}

// ProviderFrom returns the provider of ctx, or nil.
func ProviderFrom(ctx context.Context) *Provider {
	p, _ := ctx.Value(providerKey{}).(*Provider)
	return p
}
