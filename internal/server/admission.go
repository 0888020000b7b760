package server

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/failsafe-go/failsafe-go/adaptivelimiter"

	"carnet/internal/errs"
	"carnet/internal/metrics"
)

// Admission bounds the GraphQL requests served at once. Past the limit a
// request waits for a place at most QueueWait (and never past its
// deadline), in a queue as long as the limit; past that it is refused at
// once: 503 OVERLOADED with Retry-After. The zero value admits everything.
//
// The limit adapts between a floor and MaxInflight (failsafe-go's
// adaptive limiter): it shrinks while recent latencies rise above their
// baseline, and grows again while they do not, so that on a saturated
// machine requests are refused rather than queued behind each other.
type Admission struct {
	// MaxInflight is the limit's ceiling (0: no admission control).
	MaxInflight int
	// QueueWait is how long a request past the limit may wait.
	QueueWait time.Duration
}

// minInflight is the floor of the adaptive limit (lower when MaxInflight
// is): a handful of requests always run, whatever their latencies.
const minInflight = 4

// overloadRetryAfter is the Retry-After of a refusal, in seconds.
const overloadRetryAfter = 1

// admit runs next within the limits of a; health checks and /metrics are
// not behind it (they are mounted beside /graphql).
func admit(a Admission, next http.Handler) http.Handler {
	if a.MaxInflight <= 0 {
		return next
	}
	floor := uint(min(a.MaxInflight, minInflight))
	// It starts at the ceiling: started lower, it refused the bursts of
	// an idle server (a dozen requests at once) until it had seen a few
	// seconds of traffic.
	b := adaptivelimiter.NewBuilder[any]().
		WithLimits(floor, uint(a.MaxInflight), uint(a.MaxInflight))
	if a.QueueWait > 0 {
		// Requests queue up to the limit's length, then are refused
		// gradually up to twice it (failsafe-go's rejection factors).
		b = b.WithQueueing(1, 2)
	}
	limiter := b.Build()
	metrics.SetAdmission(limiter.Limit, limiter.Inflight, limiter.Queued)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		permit, err := acquire(r.Context(), limiter, a.QueueWait)
		if err != nil {
			metrics.Shed()
			w.Header().Set("Retry-After", strconv.Itoa(overloadRetryAfter))
			writeError(w, r, http.StatusServiceUnavailable, errs.E(errs.Overloaded,
				"the server is overloaded: retry in %d s", overloadRetryAfter))
			return
		}
		defer func() {
			if r.Context().Err() != nil {
				// Past its deadline or abandoned: its duration says
				// nothing of the machine's pace.
				permit.Drop()
				return
			}
			permit.Record()
		}()
		next.ServeHTTP(w, r)
	})
}

// acquire takes a place in limiter: at once, else waiting up to wait (a
// queue of bounded length) and never past ctx's end.
func acquire(ctx context.Context, limiter adaptivelimiter.AdaptiveLimiter[any], wait time.Duration) (adaptivelimiter.Permit, error) {
	if p, ok := limiter.TryAcquirePermit(); ok {
		return p, nil
	}
	if wait <= 0 {
		return nil, adaptivelimiter.ErrExceeded
	}
	if d, ok := ctx.Deadline(); ok {
		wait = min(wait, time.Until(d))
	}
	p, err := limiter.AcquirePermitWithMaxWait(ctx, wait)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// deadlineKey is the context key of a request's time limit.
type deadlineKey struct{}

// Deadlines are the time limits of GraphQL requests: past it, a request's
// context ends, which cancels its SQL statements, rolls its transaction
// back and answers TIMEOUT.
type Deadlines struct {
	// Request bounds queries and mutations (DefaultRequestTimeout when 0).
	Request time.Duration
	// Upload bounds multipart requests (DefaultUploadTimeout when 0).
	Upload time.Duration
}

// Default deadlines.
const (
	DefaultRequestTimeout = 10 * time.Second
	DefaultUploadTimeout  = 30 * time.Second
)

// withDeadline gives each request a context that ends after its limit:
// d.Upload for a multipart body, d.Request otherwise. It runs before
// admission, so that the wait for a place counts.
func withDeadline(d Deadlines, next http.Handler) http.Handler {
	if d.Request <= 0 {
		d.Request = DefaultRequestTimeout
	}
	if d.Upload <= 0 {
		d.Upload = DefaultUploadTimeout
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := d.Request
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && mt == "multipart/form-data" {
			limit = d.Upload
		}
		ctx, cancel := context.WithTimeout(context.WithValue(r.Context(), deadlineKey{}, limit), limit)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// timedOut is the TIMEOUT error of a request whose deadline passed, or
// nil when ctx's deadline has not passed (err is the error met).
func timedOut(ctx context.Context, err error) *errs.Error {
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) && !errors.Is(err, context.DeadlineExceeded) {
		return nil
	}
	limit, _ := ctx.Value(deadlineKey{}).(time.Duration)
	if limit <= 0 {
		return errs.E(errs.Timeout, "the request took too long and was stopped; nothing it changed was saved")
	}
	return errs.E(errs.Timeout, "the request took longer than %s and was stopped; nothing it changed was saved", limit)
}
