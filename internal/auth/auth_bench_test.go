package auth_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"carnet/internal/auth"
	"carnet/internal/testdb"
)

// BenchmarkAuthenticate measures a token look-up (the default path of
// every request) on each dialect:
//
//	go test -run '^$' -bench Authenticate -benchmem ./internal/auth/
func BenchmarkAuthenticate(b *testing.B) {
	for _, dialect := range testdb.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			d := testdb.Open(b, dialect)
			f := newFixture(b, d, nil)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := auth.Authenticate(ctx, f.d.Client, f.secret); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAuthenticateCached measures the same request through the token
// cache, as `carnet serve` runs by default (on PostgreSQL the cache
// listens, as a replica's does):
//
//	go test -run '^$' -bench Authenticate -benchmem ./internal/auth/
func BenchmarkAuthenticateCached(b *testing.B) {
	for _, dialect := range testdb.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			d := testdb.Open(b, dialect)
			f := newFixture(b, d, nil)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			c := auth.NewCache(10, time.Minute)
			if dialect == "postgres" {
				if err := c.Listen(ctx, d.URL, slog.New(slog.DiscardHandler)); err != nil {
					b.Fatal(err)
				}
				for !c.Serving() {
					time.Sleep(time.Millisecond)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := c.Authenticate(ctx, f.d.Client, f.secret); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
