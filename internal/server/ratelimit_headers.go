package server

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"golang.org/x/time/rate"
)

// The rate-limit headers follow draft-ietf-httpapi-ratelimit-headers-10
// (structured fields, one named policy):
//
//	RateLimit-Policy: "token";q=40;w=2
//	RateLimit: "token";r=39;t=1
//
// The policy's quota q is the burst and its window w the seconds the
// bucket takes to refill from empty (burst / rate, rounded up); r is the
// requests the token may still make at once and t the seconds until its
// bucket is full again. A client that waits t seconds whenever r is 0
// never meets a 429 (with one token used by one client at a time, on one
// replica).
const ratePolicy = "token"

// budget is what is left of a token's rate limit after a request.
type budget struct {
	limit     RateLimit
	remaining int // requests that may be made at once
	reset     int // seconds until the bucket is full
}

// setRateLimitHeaders writes the RateLimit-Policy and RateLimit headers of
// bucket b at now (after the request was counted) and returns the budget
// they describe.
func setRateLimitHeaders(h http.Header, limit RateLimit, b *rate.Limiter, now time.Time) budget {
	tokens := math.Max(0, b.TokensAt(now))
	bud := budget{
		limit:     limit,
		remaining: int(math.Floor(tokens)),
		reset:     int(math.Ceil((float64(limit.Burst) - tokens) / limit.Rate)),
	}
	window := int(math.Ceil(float64(limit.Burst) / limit.Rate))
	h.Set("RateLimit-Policy", fmt.Sprintf("%q;q=%d;w=%d", ratePolicy, limit.Burst, window))
	h.Set("RateLimit", fmt.Sprintf("%q;r=%d;t=%d", ratePolicy, bud.remaining, bud.reset))
	return bud
}

type budgetKey struct{}

// withBudget returns ctx carrying the token's budget, which
// extensions.cost reports.
func withBudget(ctx context.Context, b budget) context.Context {
	return context.WithValue(ctx, budgetKey{}, b)
}

// budgetFrom returns the budget of ctx's request; false when no rate limit
// applies.
func budgetFrom(ctx context.Context) (budget, bool) {
	b, ok := ctx.Value(budgetKey{}).(budget)
	return b, ok
}

// CostHeader asks for extensions.cost in the answer (any value but "" and
// "0"); so does "extensions": {"cost": true} in the request.
const CostHeader = "X-Carnet-Cost"

// costReport adds extensions.cost to the answer of an operation that asks
// for it: the operation's cost as costLimits computes it, the maximum
// allowed, and the token's rate budget after this request:
//
//	"cost": {"requested": 3504, "maximum": 10000,
//	         "rateLimit": {"limit": 40, "remaining": 39, "reset": 1, "perSecond": 20}}
//
// rateLimit is absent when the server has no rate limit.
type costReport struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = costReport{}

func (costReport) ExtensionName() string                   { return "CostReport" }
func (costReport) Validate(graphql.ExecutableSchema) error { return nil }
func (costReport) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil {
		return nil
	}
	if cost := costOf(ctx); cost != nil {
		if resp.Extensions == nil {
			resp.Extensions = map[string]any{}
		}
		resp.Extensions["cost"] = cost
	}
	return resp
}

// costAsked reports whether the request asks for extensions.cost.
func costAsked(headers http.Header, ext map[string]any) bool {
	if v := headers.Get(CostHeader); v != "" && v != "0" {
		ok, err := strconv.ParseBool(v)
		return err != nil || ok
	}
	asked, _ := ext["cost"].(bool)
	return asked
}

// costOf returns the cost of the operation of ctx when it asks for it,
// else nil.
func costOf(ctx context.Context) map[string]any {
	oc := operationContext(ctx)
	if oc == nil || oc.Operation == nil || !costAsked(oc.Headers, oc.Extensions) {
		return nil
	}
	m := &meter{vars: oc.Variables}
	cost := map[string]any{"requested": m.cost(oc.Operation.SelectionSet, 1), "maximum": MaxComplexity}
	if b, ok := budgetFrom(ctx); ok {
		cost["rateLimit"] = map[string]any{
			"limit": b.limit.Burst, "remaining": b.remaining, "reset": b.reset, "perSecond": b.limit.Rate,
		}
	}
	return cost
}
