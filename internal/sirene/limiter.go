package sirene

import (
	"context"
	"errors"
	"sync"
	"time"
)

// The public plan of API Sirene allows 30 requests per minute.
const (
	defaultPerMinute = 30
	defaultBurst     = 5
)

// limit is the token bucket shared by every Client of the process, so that
// several clients using the same key stay within the quota together.
var limit = newBucket(defaultPerMinute, defaultBurst)

// SetRateLimit sets the process-wide limit of calls to API Sirene: at most
// burst calls at once, then perMinute calls per minute. The bucket starts
// full. A perMinute of zero or less removes the limit; a burst below 1
// counts as 1. It is meant for tests and for keys of a larger plan.
func SetRateLimit(perMinute int, burst int) {
	limit.set(perMinute, burst)
}

// errNoToken means that the next call could not start before the deadline
// of the lookup.
var errNoToken = errors.New("sirene: rate limit would exceed the deadline")

// bucket is a token bucket. Tokens may go negative: a caller takes its
// token at once and then waits for it to be refilled, so that waiting
// callers are served in order.
type bucket struct {
	mu     sync.Mutex
	perSec float64 // refill rate; 0 means no limit
	burst  float64
	tokens float64
	last   time.Time
}

func newBucket(perMinute, burst int) *bucket {
	b := &bucket{}
	b.set(perMinute, burst)
	return b
}

func (b *bucket) set(perMinute, burst int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if burst < 1 {
		burst = 1
	}
	b.perSec = 0
	if perMinute > 0 {
		b.perSec = float64(perMinute) / 60
	}
	b.burst = float64(burst)
	b.tokens = b.burst
	b.last = time.Now()
}

// refill adds the tokens earned since the last refill. b.mu must be held.
func (b *bucket) refill(now time.Time) {
	if now.After(b.last) {
		b.tokens += now.Sub(b.last).Seconds() * b.perSec
		if b.tokens > b.burst {
			b.tokens = b.burst
		}
		b.last = now
	}
}

// wait takes a token, waiting for it if needed. It returns errNoToken at
// once, without taking a token, when the token would come after ctx's
// deadline, and ctx's error if ctx ends while waiting.
func (b *bucket) wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b.mu.Lock()
	if b.perSec <= 0 {
		b.mu.Unlock()
		return nil
	}
	now := time.Now()
	b.refill(now)
	var d time.Duration
	if b.tokens < 1 {
		d = time.Duration((1 - b.tokens) / b.perSec * float64(time.Second))
	}
	if deadline, ok := ctx.Deadline(); ok && now.Add(d).After(deadline) {
		b.mu.Unlock()
		return errNoToken
	}
	b.tokens--
	b.mu.Unlock()
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		b.giveBack()
		return ctx.Err()
	}
}

// giveBack returns a token taken by a caller who gave up waiting.
func (b *bucket) giveBack() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill(time.Now())
	b.tokens++
	if b.tokens > b.burst {
		b.tokens = b.burst
	}
}
