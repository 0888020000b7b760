package sirene

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/cenkalti/backoff/v5"

	"carnet/internal/errs"
	"carnet/internal/metrics"
	"carnet/internal/validate"
)

// DefaultBaseURL is the address of API Sirene 3.11.
const DefaultBaseURL = "https://api.insee.fr/api-sirene/3.11"

// Defaults and bounds of Config.
const (
	DefaultCallTimeout  = 5 * time.Second
	MaxCallTimeout      = 5 * time.Second
	DefaultTotalTimeout = 12 * time.Second
	DefaultMaxRetries   = 3
	DefaultCacheTTL     = 24 * time.Hour
)

// maxBody bounds the size of an answer read from the API.
const maxBody = 4 << 20

// Backoff between retries: retryBaseDelay × 2^attempt, at most
// retryMaxDelay, of which a random half is jitter. Variables so that tests
// can make them shorter.
var (
	retryBaseDelay = 500 * time.Millisecond
	retryMaxDelay  = 4 * time.Second
)

// Config of a client. Zero fields take their default.
type Config struct {
	// BaseURL defaults to DefaultBaseURL.
	BaseURL string
	// APIKey is sent in the header X-INSEE-Api-Key-Integration.
	APIKey string
	// HTTPClient defaults to a new client. Its redirect policy is replaced:
	// redirects are never followed.
	HTTPClient *http.Client
	// CallTimeout bounds each HTTP call: 5 s by default and at most.
	CallTimeout time.Duration
	// TotalTimeout bounds a whole lookup, retries included: 12 s by
	// default.
	TotalTimeout time.Duration
	// MaxRetries is the number of retries after a 429, a 5xx, a network
	// error or a time-out: 3 by default; a negative value means none.
	MaxRetries int
	// CacheTTL is how long answers are cached: 24 h by default; a negative
	// value disables the cache.
	CacheTTL time.Duration
}

// Client is a client of API Sirene, safe for concurrent use.
type Client struct {
	base         string
	key          string
	http         *http.Client
	callTimeout  time.Duration
	totalTimeout time.Duration
	maxRetries   int
	cacheTTL     time.Duration
	cache        *cache // nil when the cache is off
}

// New returns a client configured by cfg.
func New(cfg Config) *Client {
	c := &Client{
		base:         strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/"),
		key:          strings.TrimSpace(cfg.APIKey),
		callTimeout:  cfg.CallTimeout,
		totalTimeout: cfg.TotalTimeout,
		maxRetries:   cfg.MaxRetries,
		cacheTTL:     cfg.CacheTTL,
	}
	if c.base == "" {
		c.base = DefaultBaseURL
	}
	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	hc.Transport = newTracedTransport(hc.Transport)
	c.http = &hc
	if c.callTimeout <= 0 {
		c.callTimeout = DefaultCallTimeout
	}
	if c.callTimeout > MaxCallTimeout {
		c.callTimeout = MaxCallTimeout
	}
	if c.totalTimeout <= 0 {
		c.totalTimeout = DefaultTotalTimeout
	}
	if c.maxRetries == 0 {
		c.maxRetries = DefaultMaxRetries
	}
	if c.maxRetries < 0 {
		c.maxRetries = 0
	}
	if c.cacheTTL == 0 {
		c.cacheTTL = DefaultCacheTTL
	}
	if c.cacheTTL > 0 {
		c.cache = newCache(cacheSize, c.cacheTTL)
	}
	return c
}

// Lookup returns the establishment of a SIRET (14 digits) or the company of
// a SIREN (9 digits). Spaces, dots and dashes are ignored. An identifier of
// another length or with a wrong checksum is refused with BAD_USER_INPUT
// before any request.
func (c *Client) Lookup(ctx context.Context, identifier string) (*Company, error) {
	n := 0
	for _, r := range identifier {
		if !unicode.IsSpace(r) && r != '.' && r != '-' {
			n++
		}
	}
	switch n {
	case 14:
		return c.LookupSIRET(ctx, identifier)
	case 9:
		return c.LookupSIREN(ctx, identifier)
	}
	return nil, errs.Invalid("identifier", "must be a SIRET (14 digits) or a SIREN (9 digits)")
}

// LookupSIRET returns the establishment of a SIRET, with its address.
func (c *Client) LookupSIRET(ctx context.Context, siret string) (*Company, error) {
	d, err := validate.SIRET(siret)
	if err != nil {
		return nil, errs.Invalid("identifier", "SIRET %s", err.Error())
	}
	return c.lookup(ctx, "siret", d)
}

// LookupSIREN returns the company of a SIREN, without address: the address
// is that of the head office, to be looked up by its SIRET.
func (c *Client) LookupSIREN(ctx context.Context, siren string) (*Company, error) {
	d, err := validate.SIREN(siren)
	if err != nil {
		return nil, errs.Invalid("identifier", "SIREN %s", err.Error())
	}
	return c.lookup(ctx, "siren", d)
}

// lookup returns the company of id, a valid SIRET (kind "siret") or SIREN
// (kind "siren"), from the cache or from the API.
func (c *Client) lookup(ctx context.Context, kind, id string) (*Company, error) {
	key := kind + "/" + id
	if c.cache != nil {
		if co, notFound, ok := c.cache.get(key); ok {
			if co == nil {
				return nil, errs.E(errs.SireneNotFound, "%s", notFound)
			}
			return co, nil
		}
	}
	if c.key == "" {
		return nil, errs.E(errs.SireneUnavailable, "no SIRENE API key is configured")
	}
	ctx, cancel := context.WithTimeout(ctx, c.totalTimeout)
	defer cancel()
	body, err := c.fetch(ctx, kind, id)
	if err != nil {
		if e, ok := errs.As(err); ok && e.Code == errs.SireneNotFound && c.cache != nil {
			c.cache.putNotFound(key, e.Message)
		}
		return nil, err
	}
	co, err := decode(kind, id, body)
	if err != nil {
		return nil, err
	}
	if c.cache != nil {
		c.cache.putCompany(key, co)
	}
	return co, nil
}

// decode maps the body of a 200 answer.
func decode(kind, id string, body []byte) (*Company, error) {
	unreadable := errs.E(errs.SireneUnavailable, "the SIRENE register sent an answer that could not be read")
	if kind == "siret" {
		var a siretAnswer
		if err := json.Unmarshal(body, &a); err != nil || a.Etablissement == nil {
			return nil, unreadable
		}
		return fromSIRET(id, a.Etablissement), nil
	}
	var a sirenAnswer
	if err := json.Unmarshal(body, &a); err != nil || a.UniteLegale == nil {
		return nil, unreadable
	}
	return fromSIREN(id, a.UniteLegale), nil
}

// errNoToken means that the next call could not start before the deadline
// of the lookup.
var errNoToken = errors.New("sirene: rate limit would exceed the deadline")

// outcome is the result of one HTTP call.
type outcome struct {
	body       []byte
	err        error         // nil on success
	retry      bool          // whether err is worth a retry
	retryAfter time.Duration // the server's Retry-After, if any
}

// fetch gets the body of a 200 answer to GET {base}/{kind}/{id}, retrying
// when worth it, within ctx's deadline.
func (c *Client) fetch(ctx context.Context, kind, id string) ([]byte, error) {
	url := c.base + "/" + kind + "/" + id
	var (
		last       error         // the last call's error
		retryAfter time.Duration // its Retry-After
	)
	attempt := func() ([]byte, error) {
		if err := waitToken(ctx); err != nil {
			if last != nil {
				return nil, backoff.Permanent(last)
			}
			if errors.Is(err, errNoToken) {
				return nil, backoff.Permanent(errs.E(errs.RateLimited, "too many SIRENE lookups at the moment; try again in a minute"))
			}
			return nil, backoff.Permanent(contextError(ctx))
		}
		o := c.call(ctx, kind, id, url)
		last, retryAfter = o.err, o.retryAfter
		if o.err != nil && !o.retry {
			return nil, backoff.Permanent(o.err)
		}
		return o.body, o.err
	}
	opts := []backoff.RetryOption{
		backoff.WithBackOff(&atLeast{BackOff: newBackOff(), floor: &retryAfter}),
		backoff.WithMaxTries(uint(c.maxRetries) + 1),
	}
	if deadline, ok := ctx.Deadline(); ok {
		// A retry whose wait would end past the deadline would leave no
		// time for another call: give up at once instead.
		opts = append(opts, backoff.WithMaxElapsedTime(max(time.Until(deadline), time.Nanosecond)))
	}
	body, err := backoff.Retry(ctx, attempt, opts...)
	if _, ok := errs.As(err); err != nil && !ok {
		// ctx ended between calls: report the last call's error.
		if last != nil {
			return nil, last
		}
		return nil, contextError(ctx)
	}
	return body, err
}

// newBackOff returns the waits between retries: retryBaseDelay × 2^n, at
// most retryMaxDelay, of which the upper half is random (backoff's
// randomisation is symmetric: ±1/3 around three quarters of that).
func newBackOff() *backoff.ExponentialBackOff {
	return &backoff.ExponentialBackOff{
		InitialInterval:     retryBaseDelay * 3 / 4,
		RandomizationFactor: 1.0 / 3,
		Multiplier:          2,
		MaxInterval:         retryMaxDelay * 3 / 4,
	}
}

// atLeast waits at least *floor, the server's Retry-After, when that is
// longer than the backoff. (backoff's own RetryAfterError would replace
// the backoff, even when shorter, and reset it.)
type atLeast struct {
	backoff.BackOff
	floor *time.Duration
}

func (b *atLeast) NextBackOff() time.Duration { return max(b.BackOff.NextBackOff(), *b.floor) }

// call makes one HTTP call, bounded by the call time-out.
func (c *Client) call(ctx context.Context, kind, id, url string) outcome {
	cctx, cancel := context.WithTimeout(ctx, c.callTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(cctx, http.MethodGet, url, nil)
	if err != nil {
		return outcome{err: errs.E(errs.SireneUnavailable, "the SIRENE register address is misconfigured")}
	}
	req.Header.Set("X-INSEE-Api-Key-Integration", c.key)
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		metrics.SireneCall("error")
		if ctx.Err() != nil {
			return outcome{err: contextError(ctx)}
		}
		if cctx.Err() != nil {
			return outcome{err: errTimeout(), retry: true}
		}
		return outcome{err: errs.E(errs.SireneUnavailable, "the SIRENE register could not be reached"), retry: true}
	}
	defer func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		_ = resp.Body.Close()
	}()

	metrics.SireneCall(strconv.Itoa(resp.StatusCode))
	upper := strings.ToUpper(kind)
	switch code := resp.StatusCode; {
	case code == http.StatusOK:
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
		if err != nil {
			if ctx.Err() != nil {
				return outcome{err: contextError(ctx)}
			}
			if cctx.Err() != nil {
				return outcome{err: errTimeout(), retry: true}
			}
			return outcome{err: errs.E(errs.SireneUnavailable, "the SIRENE register's answer was cut short"), retry: true}
		}
		if len(body) > maxBody {
			return outcome{err: errs.E(errs.SireneUnavailable, "the SIRENE register sent an answer that could not be read")}
		}
		return outcome{body: body}
	case code == http.StatusNotFound:
		what := "establishment"
		if kind == "siren" {
			what = "company"
		}
		return outcome{err: errs.E(errs.SireneNotFound, "no %s with %s %s in the SIRENE register", what, upper, id)}
	case code == http.StatusMovedPermanently:
		return outcome{err: errs.E(errs.SireneNotFound, "%s %s is no longer in use in the SIRENE register: it was merged into another number", upper, id)}
	case code == http.StatusBadRequest:
		return outcome{err: errs.Invalid("identifier", "the SIRENE register refused %s %s as malformed", upper, id)}
	case code == http.StatusUnauthorized:
		return outcome{err: errs.E(errs.SireneUnavailable, "the SIRENE API key was refused")}
	case code == http.StatusForbidden:
		return outcome{err: errs.E(errs.Forbidden, "this company is not public (non diffusible) in the SIRENE register")}
	case code == http.StatusTooManyRequests:
		return outcome{
			err:        errs.E(errs.RateLimited, "the SIRENE register's request quota is used up; try again in a minute"),
			retry:      true,
			retryAfter: retryAfter(resp.Header.Get("Retry-After"), time.Now()),
		}
	case code >= 500:
		return outcome{err: errs.E(errs.SireneUnavailable, "the SIRENE register is unavailable or in maintenance; try again later"), retry: true}
	default:
		return outcome{err: errs.E(errs.SireneUnavailable, "the SIRENE register gave an unexpected answer (HTTP status %d)", code)}
	}
}

// contextError is the error of a lookup whose context ended.
func contextError(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.Canceled) {
		return errs.E(errs.SireneUnavailable, "the SIRENE lookup was cancelled")
	}
	return errTimeout()
}

func errTimeout() error {
	return errs.E(errs.SireneUnavailable, "the SIRENE register did not answer in time")
}

// retryAfter parses a Retry-After header: seconds or an HTTP date. It
// returns 0 when the header is absent or invalid.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(h); err == nil {
		if s < 0 {
			return 0
		}
		if s > 3600 {
			s = 3600
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
