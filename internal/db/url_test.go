package db

import "testing"

func TestPostgresURLOptions(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"postgres://u@h:5432/d?sslmode=disable", "postgres://u@h:5432/d?binary_parameters=yes&sslmode=disable"},
		// An explicit choice is kept.
		{"postgres://u@h/d?binary_parameters=no", "postgres://u@h/d?binary_parameters=no"},
	} {
		if got := withOneRoundTrip(tc.in); got != tc.want {
			t.Errorf("withOneRoundTrip(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
