package server

import (
	"math"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

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

// cors answers browsers of the allowed origins (exact matches, "*" for
// any): preflights get the methods and headers the API uses; other
// origins get no CORS header, so browsers refuse them.
func cors(origins []string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		allowed := origin != "" && (slices.Contains(origins, origin) || slices.Contains(origins, "*"))
		if allowed {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", origin)
			h.Add("Vary", "Origin")
			h.Set("Access-Control-Expose-Headers", "X-Request-Id, Retry-After, Content-Disposition")
		}
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			if allowed {
				h := w.Header()
				h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
				h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, GraphQL-Require-Preflight, Apollo-Require-Preflight")
				h.Set("Access-Control-Max-Age", "600")
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// RateLimit is the requests a token may make: Rate per second on
// average, Burst at once. Zero Rate means no limit.
type RateLimit struct {
	Rate  float64
	Burst int
}

// limiter keeps a token bucket per bearer token, in this process: with
// several replicas each applies the limit to its share of the traffic.
type limiter struct {
	limit   RateLimit
	mu      sync.Mutex
	buckets map[int]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// take spends one request of token id, or says how long to wait.
func (l *limiter) take(id int, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[id]
	if !ok {
		b = &bucket{tokens: float64(l.limit.Burst), last: now}
		l.buckets[id] = b
		if len(l.buckets) > 100_000 { // forget idle tokens now and then
			for k, v := range l.buckets {
				if now.Sub(v.last) > time.Minute {
					delete(l.buckets, k)
				}
			}
		}
	}
	b.tokens = math.Min(float64(l.limit.Burst), b.tokens+now.Sub(b.last).Seconds()*l.limit.Rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.limit.Rate * float64(time.Second))
}

// rateLimit answers 429 RATE_LIMITED with Retry-After to a token past its
// limit. It runs after authentication.
func rateLimit(limit RateLimit, next http.Handler) http.Handler {
	if limit.Rate <= 0 {
		return next
	}
	if limit.Burst < 1 {
		limit.Burst = 1
	}
	l := &limiter{limit: limit, buckets: map[int]*bucket{}}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := viewer.FromContext(r.Context())
		if v != nil {
			if ok, wait := l.take(v.TokenID, time.Now()); !ok {
				secs := int(math.Ceil(wait.Seconds()))
				w.Header().Set("Retry-After", strconv.Itoa(secs))
				writeError(w, http.StatusTooManyRequests, errs.E(errs.RateLimited,
					"too many requests for this token (%g per second, bursts of %d): retry in %d s", limit.Rate, limit.Burst, secs))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
