package auth_test

import (
	"context"
	"testing"

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
