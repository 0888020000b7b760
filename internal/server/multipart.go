package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
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
//
// A body past the multipart limit is refused with 413 and the message of
// a file past the upload limit, whatever its size: gqlgen would answer
// "failed to parse multipart form".
type uploads struct {
	transport.MultipartForm
	// maxFile is the largest file accepted (the documents' limit).
	maxFile int64
}

// Do runs the multipart transport and fixes up the errors it writes.
func (u uploads) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	if r.ContentLength < 0 {
		r.ContentLength = u.MaxMemory
	}
	body, ok := r.Body.(*tripReader) // limitBody's
	if !ok {
		body = &tripReader{ReadCloser: r.Body}
		r.Body = body
	}
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	defer func() {
		if body.tooLarge {
			refuse(w, r, exec, http.StatusRequestEntityTooLarge, fileTooLarge(u.maxFile))
			return
		}
		if p := recover(); p != nil {
			writeError(w, r, http.StatusBadRequest, errs.E(errs.BadUserInput, "malformed multipart request: the map names a variable that is not an Upload"))
			return
		}
		rec.flush(w)
	}()
	u.MultipartForm.Do(rec, r, exec)
}

// fileTooLarge is the error of a file past the upload limit, as
// documents.Store gives it.
func fileTooLarge(maxFile int64) *errs.Error {
	return errs.Invalid("file", "the file is larger than the limit of %d bytes (%d MB)", maxFile, maxFile>>20)
}

// tripReader records that a body went past http.MaxBytesReader's limit.
type tripReader struct {
	io.ReadCloser
	tooLarge bool
}

func (t *tripReader) Read(p []byte) (int, error) {
	n, err := t.ReadCloser.Read(p)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		t.tooLarge = true
	}
	return n, err
}

// recorder buffers the transport's answer so that it can be fixed up.
type recorder struct {
	header      http.Header
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(status int)      { r.status, r.wroteHeader = status, true }
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
				r.status, r.wroteHeader = http.StatusBadRequest, true
			}
		}
	}
	for k, v := range r.header {
		w.Header()[k] = v
	}
	w.Header().Del("Content-Length")
	// Only a refusal sets its status: an executed operation is written
	// as gqlgen writes it (graphqlAnswers tells them apart so).
	if r.wroteHeader {
		w.WriteHeader(r.status)
	}
	_, _ = w.Write(body)
}
