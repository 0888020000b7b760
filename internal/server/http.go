package server

import (
	"math"
	"net/http"
	"strconv"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/rs/cors"
	"golang.org/x/time/rate"

	"carnet/internal/errs"
	"carnet/internal/viewer"
)

// securityHeaders sets the headers every answer carries, among them a
// Content-Security-Policy that allows nothing, which GraphiQL's page
// replaces with its own (scripts of this origin only).
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// corsExposedHeaders are the answer headers scripts of allowed origins
// may read: the request id to quote, the rate limit's wait and budget,
// and a download's file name.
var corsExposedHeaders = []string{
	"X-Request-Id", "Retry-After", "Content-Disposition",
	"RateLimit", "RateLimit-Policy", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset",
}

// withCORS answers browsers of the allowed origins (exact matches, "*"
// for any) through rs/cors: preflights get the methods GET and POST and
// the allowed request headers; other origins get no CORS header, so
// browsers refuse them. No origin at all allows none.
func withCORS(origins, headers []string, next http.Handler) http.Handler {
	opts := cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: headers,
		ExposedHeaders: corsExposedHeaders,
		MaxAge:         600,
	}
	if len(origins) == 0 {
		// rs/cors allows every origin when given none.
		opts.AllowOriginFunc = func(string) bool { return false }
	}
	return cors.New(opts).Handler(next)
}

// RateLimit is the requests a token may make: Rate per second on
// average, Burst at once. Zero Rate means no limit.
type RateLimit struct {
	Rate  float64
	Burst int
}

// maxLimitedTokens bounds the tokens whose bucket is kept: past it, the
// least recently seen token's bucket is dropped.
const maxLimitedTokens = 100_000

// rateLimit answers 429 RATE_LIMITED with Retry-After to a token past its
// limit, and tells every token its budget (ratelimit_headers.go). It runs
// after authentication. Each bearer token has its own bucket, in this
// process: with several replicas each applies the limit to its share of
// the traffic.
func rateLimit(limit RateLimit, next http.Handler) http.Handler {
	if limit.Rate <= 0 {
		return next
	}
	if limit.Burst < 1 {
		limit.Burst = 1
	}
	buckets, _ := lru.New[int, *rate.Limiter](maxLimitedTokens) // errs only on a size <= 0
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := viewer.FromContext(r.Context())
		if v != nil {
			b, ok := buckets.Get(v.TokenID)
			if !ok {
				b = rate.NewLimiter(rate.Limit(limit.Rate), limit.Burst)
				if prev, found, _ := buckets.PeekOrAdd(v.TokenID, b); found {
					b = prev
				}
			}
			now := time.Now()
			res := b.ReserveN(now, 1)
			if wait := res.DelayFrom(now); wait > 0 {
				res.CancelAt(now) // a refused request spends nothing
				setRateLimitHeaders(w.Header(), limit, b, now)
				secs := int(math.Ceil(wait.Seconds()))
				w.Header().Set("Retry-After", strconv.Itoa(secs))
				writeError(w, r, http.StatusTooManyRequests, errs.E(errs.RateLimited,
					"too many requests for this token (%g per second, bursts of %d): retry in %d s", limit.Rate, limit.Burst, secs))
				return
			}
			r = r.WithContext(withBudget(r.Context(), setRateLimitHeaders(w.Header(), limit, b, now)))
		}
		next.ServeHTTP(w, r)
	})
}
