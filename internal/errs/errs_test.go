package errs

import (
	"errors"
	"fmt"
	"testing"
)

func TestList(t *testing.T) {
	var l List
	if l.Err() != nil {
		t.Fatal("an empty list is no error")
	}
	a, b, c := Invalid("a", "bad"), Invalid("b", "bad"), Invalid("c", "bad")
	if err := l.Add(fmt.Errorf("wrapped: %w", a)); err != nil {
		t.Fatal(err)
	}
	if l.Err() != a {
		t.Fatalf("one error alone: %v", l.Err())
	}
	if err := l.Add(List{b, c}); err != nil {
		t.Fatal(err)
	}
	if !l.Has("c") || l.Has("d") || len(l) != 3 {
		t.Fatalf("list: %v", l)
	}
	if CodeOf(l.Err()) != BadUserInput {
		t.Fatalf("code of a list: %s", CodeOf(l.Err()))
	}
	internal := errors.New("disk on fire")
	if err := l.Add(internal); err != internal || len(l) != 3 {
		t.Fatalf("an internal error is returned, not listed: %v", err)
	}
}
