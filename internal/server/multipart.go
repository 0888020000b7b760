package server

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"carnet/internal/errs"
)

// uploads is gqlgen's multipart transport with the API's error codes and
// bounded memory: gqlgen answers a malformed upload request itself (bad
// operations or map, a missing file part, a body past the limit), without
// the error presenter, and panics on some map paths. Its errors are given
// BAD_USER_INPUT, and a panic becomes a 400 rather than a 500. gqlgen
// also reads a file into memory when the body's length is below MaxMemory
// — including an unknown length (chunked): such a request is given
// MaxMemory as its length, so its files spool to temporary files too.
type uploads struct {
	transport.MultipartForm
}

// Do runs the multipart transport and fixes up the errors it writes.
func (u uploads) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	if r.ContentLength < 0 {
		r.ContentLength = u.MaxMemory
	}
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	defer func() {
		if p := recover(); p != nil {
			writeError(w, r, http.StatusBadRequest, errs.E(errs.BadUserInput, "malformed multipart request: the map names a variable that is not an Upload"))
			return
		}
		rec.flush(w)
	}()
	u.MultipartForm.Do(rec, r, exec)
}

// recorder buffers the transport's answer so that it can be fixed up.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(status int)      { r.status = status }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }

// flush writes the answer, giving errors without a code BAD_USER_INPUT
// (and a 4xx status): only the request itself can be at fault there.
func (r *recorder) flush(w http.ResponseWriter) {
	var resp struct {
		Data   json.RawMessage  `json:"data,omitempty"`
		Errors []map[string]any `json:"errors,omitempty"`
	}
	body := r.body.Bytes()
	if err := json.Unmarshal(body, &resp); err == nil && len(resp.Errors) > 0 && (resp.Data == nil || string(resp.Data) == "null") {
		fixed := false
		for _, e := range resp.Errors {
			ext, _ := e["extensions"].(map[string]any)
			if ext == nil {
				ext = map[string]any{}
				e["extensions"] = ext
			}
			if _, ok := ext["code"]; !ok {
				ext["code"] = string(errs.BadUserInput)
				ext["field"] = "file"
				fixed = true
			}
		}
		if fixed {
			body, _ = json.Marshal(resp)
			if r.status < 400 {
				r.status = http.StatusBadRequest
			}
		}
	}
	for k, v := range r.header {
		w.Header()[k] = v
	}
	w.Header().Del("Content-Length")
	w.WriteHeader(r.status)
	_, _ = w.Write(body)
}
