package gid

import (
	"strings"
	"testing"
)

func TestEncodeDecodeRoundTrip(t *testing.T) {
	for _, id := range []int{1, 42, 1 << 32, 17179869185} {
		got, err := Decode(Encode(id))
		if err != nil || got != id {
			t.Fatalf("Decode(Encode(%d)) = %d, %v", id, got, err)
		}
	}
	for _, bad := range []string{"", "42", "bm9wZQ", Encode(1) + "!", "Y2FybmV0Oi0x", "Y2FybmV0OjA"} {
		if _, err := Decode(bad); err == nil {
			t.Fatalf("Decode(%q) accepted", bad)
		}
	}
}

// FuzzDecode: any string decodes to a positive ID that encodes back to a
// canonical form decoding to the same ID, or fails without panicking.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{Encode(7), "", "carnet:1", "Y2FybmV0OjE=", strings.Repeat("A", 300), "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := Decode(s)
		if err != nil {
			return
		}
		if id <= 0 {
			t.Fatalf("Decode(%q) = %d", s, id)
		}
		if again, err := Decode(Encode(id)); err != nil || again != id {
			t.Fatalf("re-encoding %d: %d, %v", id, again, err)
		}
	})
}
