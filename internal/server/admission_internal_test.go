package server

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestDeadlineIsTheUploadsForMultipartBodies(t *testing.T) {
	d := Deadlines{Request: time.Minute, Upload: time.Hour}
	cases := []struct {
		contentType string
		want        time.Duration
	}{
		{"application/json", time.Minute},
		{"multipart/form-data; boundary=x", time.Hour},
		{"", time.Minute},
	}
	for _, c := range cases {
		var left time.Duration
		var limit time.Duration
		h := withDeadline(d, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			dl, ok := r.Context().Deadline()
			if !ok {
				t.Fatalf("%q: no deadline", c.contentType)
			}
			left = time.Until(dl)
			limit, _ = r.Context().Value(deadlineKey{}).(time.Duration)
		}))
		req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		req.Header.Set("Content-Type", c.contentType)
		h.ServeHTTP(httptest.NewRecorder(), req)
		// Between the other limit and this one: which one was chosen.
		if limit != c.want || left > c.want || left <= c.want/2 {
			t.Errorf("%q: limit %s, %s left; want %s", c.contentType, limit, left, c.want)
		}
	}
}
