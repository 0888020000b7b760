package server

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// Media types of GraphQL answers (GraphQL over HTTP).
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// responseMediaType is the media type a GraphQL answer takes for a
// request's Accept: application/graphql-response+json when the client
// accepts it at least as much as application/json, application/json when
// it accepts only that, sends no Accept or accepts anything (*/*), as the
// GraphQL-over-HTTP specification asks; a client that accepts neither gets
// application/graphql-response+json, as gqlgen answers it.
func responseMediaType(accept string) string {
	if strings.TrimSpace(accept) == "" {
		return mediaJSON
	}
	qJSON, qGraphQL, qAny := -1.0, -1.0, -1.0
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if s, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(s, 64); err == nil {
				q = f
			}
		}
		switch mt {
		case mediaJSON:
			qJSON = max(qJSON, q)
		case mediaGraphQLResponse:
			qGraphQL = max(qGraphQL, q)
		case "*/*", "application/*":
			qAny = max(qAny, q)
		}
	}
	switch {
	case qGraphQL > 0 && qGraphQL >= qJSON:
		return mediaGraphQLResponse
	case qJSON > 0 || qAny > 0:
		return mediaJSON
	}
	return mediaGraphQLResponse
}

// graphqlAnswers gives every answer of the GraphQL endpoint the media
// type and status that the GraphQL-over-HTTP specification gives for the
// request's Accept, whichever layer wrote it (authentication, rate limit,
// body checks, gqlgen's transports, execution).
//
// A layer that refuses a request (it never ran) says so by calling
// WriteHeader before writing: the HTTP layer's refusals do, and so do
// gqlgen's transports for a body, document or variables they refuse,
// whereas an executed operation is written without WriteHeader (200).
// A refusal's body loses its "data" entry (gqlgen writes "data": null),
// and its status becomes the specification's: with
// application/graphql-response+json, 4xx (gqlgen's 422 and the 200 it
// gives to refusals of extensions become 400; 401, 405, 413, 415, 429 and
// the others stay); with application/json, 200 for a document that does
// not parse or validate (gqlgen's 422), the rest unchanged. Apollo Client
// reads GraphQL errors from a non-2xx answer only in
// application/graphql-response+json, which it asks for first.
func graphqlAnswers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		aw := &answerWriter{ResponseWriter: w, media: responseMediaType(r.Header.Get("Accept"))}
		next.ServeHTTP(aw, r)
		aw.finish()
	})
}

// answerWriter is the writer of graphqlAnswers.
type answerWriter struct {
	http.ResponseWriter
	media   string
	started bool // the status is decided
	refusal bool // WriteHeader came before any body: the body is buffered
	status  int
	body    bytes.Buffer
}

func (a *answerWriter) setContentType() {
	h := a.ResponseWriter.Header()
	if ct, _, _ := mime.ParseMediaType(h.Get("Content-Type")); ct == "" || ct == mediaJSON || ct == mediaGraphQLResponse {
		h.Set("Content-Type", a.media+"; charset=utf-8")
	}
}

// WriteHeader records a refusal; its status is decided by finish.
func (a *answerWriter) WriteHeader(status int) {
	if a.started {
		return
	}
	a.started, a.refusal, a.status = true, true, status
}

func (a *answerWriter) Write(b []byte) (int, error) {
	if !a.started {
		a.started = true
		a.setContentType()
		a.ResponseWriter.WriteHeader(http.StatusOK)
	}
	if a.refusal {
		return a.body.Write(b)
	}
	return a.ResponseWriter.Write(b)
}

// Flush sends what is written so far (an executed answer only).
func (a *answerWriter) Flush() {
	if f, ok := a.ResponseWriter.(http.Flusher); ok && !a.refusal {
		f.Flush()
	}
}

// Unwrap gives http.ResponseController the underlying writer.
func (a *answerWriter) Unwrap() http.ResponseWriter { return a.ResponseWriter }

// finish writes a refusal: its status for the media type, and its body
// without "data".
func (a *answerWriter) finish() {
	if !a.refusal {
		return
	}
	status := refusalStatus(a.media, a.status)
	body := a.body.Bytes()
	var resp map[string]json.RawMessage
	if err := json.Unmarshal(body, &resp); err == nil {
		if _, ok := resp["errors"]; ok {
			if _, ok := resp["data"]; ok {
				delete(resp, "data")
				body, _ = json.Marshal(resp)
			}
			a.setContentType()
		}
	}
	a.ResponseWriter.Header().Del("Content-Length")
	a.ResponseWriter.WriteHeader(status)
	_, _ = a.ResponseWriter.Write(body)
}

// refusalStatus is the status of a request refused before it ran.
func refusalStatus(media string, status int) int {
	switch {
	case status == http.StatusUnprocessableEntity && media == mediaJSON:
		return http.StatusOK
	case status == http.StatusUnprocessableEntity, status < 400 && media == mediaGraphQLResponse:
		return http.StatusBadRequest
	}
	return status
}
