package sirene

import (
	"context"
	"sync/atomic"

	"golang.org/x/time/rate"
)

// The public plan of API Sirene allows 30 requests per minute.
const (
	defaultPerMinute = 30
	defaultBurst     = 5
)

// limit is the token bucket shared by every Client of the process, so that
// several clients using the same key stay within the quota together.
// Waiting callers reserve their token at once and are served in order.
var limit atomic.Pointer[rate.Limiter]

func init() { SetRateLimit(defaultPerMinute, defaultBurst) }

// SetRateLimit sets the process-wide limit of calls to API Sirene: at most
// burst calls at once, then perMinute calls per minute. The bucket starts
// full. A perMinute of zero or less removes the limit; a burst below 1
// counts as 1. It is meant for tests and for keys of a larger plan.
func SetRateLimit(perMinute int, burst int) {
	burst = max(burst, 1)
	every := rate.Inf
	if perMinute > 0 {
		every = rate.Limit(float64(perMinute) / 60)
	}
	limit.Store(rate.NewLimiter(every, burst))
}

// waitToken takes a token, waiting for it if needed. It returns errNoToken
// at once, without taking a token, when the token would come after ctx's
// deadline, and ctx's error if ctx ends while waiting.
func waitToken(ctx context.Context) error {
	if err := limit.Load().Wait(ctx); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return errNoToken // rate: "Wait(n=1) would exceed context deadline"
	}
	return nil
}
