package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"carnet/internal/errs"
)

// jsonPOST is gqlgen's POST transport with the API's answers to bodies it
// cannot run: not JSON, not one request object (array batching), too
// large (413). gqlgen answers them with errors that have no code (they became
// INTERNAL) and echoes the whole body in the message.
type jsonPOST struct {
	transport.POST
}

// Do checks the body, then hands it to gqlgen.
func (t jsonPOST) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	body, err := io.ReadAll(r.Body) // limited by limitBody
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		refuse(w, r, exec, http.StatusRequestEntityTooLarge, errs.E(errs.BadUserInput,
			"the request body is larger than the limit of %s (%d bytes): send files as uploads (multipart requests)", mebibytes(tooLarge.Limit), tooLarge.Limit))
		return
	case err != nil:
		refuse(w, r, exec, http.StatusBadRequest, errs.E(errs.BadUserInput, "could not read the request body"))
		return
	}
	if err := checkRequestJSON(body); err != nil {
		refuse(w, r, exec, http.StatusBadRequest, err)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	t.POST.Do(w, r, exec)
}

// checkRequestJSON says what is wrong with a GraphQL request body, if
// anything: it must be one JSON object of the request's fields.
func checkRequestJSON(body []byte) *errs.Error {
	if b := bytes.TrimLeft(body, " \t\r\n"); len(b) > 0 && b[0] == '[' {
		return errs.E(errs.BadUserInput, "batching is not supported: send one operation per request, as a JSON object")
	}
	var params struct {
		Query         string         `json:"query"`
		OperationName string         `json:"operationName"`
		Variables     map[string]any `json:"variables"`
		Extensions    map[string]any `json:"extensions"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&params); err != nil {
		return errs.E(errs.BadUserInput, "the request body is not a GraphQL request in JSON ({\"query\", \"variables\", \"operationName\"}): %s", jsonProblem(err))
	}
	// One object, and nothing after it but spaces: gqlgen would run the
	// first object and drop the rest.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errs.E(errs.BadUserInput, "the request body holds more than one JSON object: send one operation per request")
	}
	return nil
}

// jsonProblem describes a JSON decoding error without quoting the body.
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return "the body is empty"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON ends too early"
	case errors.As(err, &syntax):
		return fmt.Sprintf("invalid JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		if typ.Field != "" {
			return fmt.Sprintf("%s must not be a JSON %s", typ.Field, typ.Value)
		}
		return fmt.Sprintf("the body must be a JSON object, not a JSON %s", typ.Value)
	}
	return "invalid JSON"
}

// mebibytes writes a size in MiB ("1 MiB", "10.5 MiB").
func mebibytes(n int64) string {
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64) + " MiB"
}

// refuse answers a request gqlgen will not run with a GraphQL error of
// the API, through gqlgen's response middleware (logs and metrics).
func refuse(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor, status int, e *errs.Error) {
	ext := map[string]any{"code": string(e.Code)}
	if e.Field != "" {
		ext["field"] = e.Field
	}
	resp := exec.DispatchError(r.Context(), gqlerror.List{{Message: localized(r.Context(), r.Header, e).Message, Extensions: ext}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(resp)
}

// getQueries is gqlgen's GET transport with the API's answers: GET runs
// queries only (a link or an image can send a GET from another site:
// CSRF), so a mutation is refused with 405 and Allow: POST, as the
// GraphQL-over-HTTP specification says; gqlgen answered 406 without a
// code, as it does for variables or extensions that are not JSON.
type getQueries struct {
	transport.GET
	// persisted resolves a persisted query's hash, so that a mutation
	// sent by its hash alone is refused too.
	persisted persistedQueries
}

// Do checks the request's parameters, then hands it to gqlgen.
func (t getQueries) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	params, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		refuse(w, r, exec, http.StatusBadRequest, errs.E(errs.BadUserInput, "the URL's query string does not decode"))
		return
	}
	var extensions map[string]any
	for _, name := range []string{"variables", "extensions"} {
		if v := params.Get(name); v != "" {
			var m map[string]any
			if err := json.Unmarshal([]byte(v), &m); err != nil {
				refuse(w, r, exec, http.StatusBadRequest, errs.Invalid(name, "%s must be a JSON object: %s", name, jsonProblem(err)))
				return
			}
			if name == "extensions" {
				extensions = m
			}
		}
	}
	query := params.Get("query")
	if h := persistedHash(extensions); query == "" && h != "" && t.persisted.LRU != nil {
		query, _ = t.persisted.Get(r.Context(), h) // unknown: gqlgen answers PERSISTED_QUERY_NOT_FOUND
	}
	// gqlgen parses the document again (and reports its errors).
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, parserTokenLimit)
	if err == nil {
		if op := doc.Operations.ForName(params.Get("operationName")); op != nil && op.Operation != ast.Query {
			w.Header().Set("Allow", "POST")
			refuse(w, r, exec, http.StatusMethodNotAllowed, errs.E(errs.BadUserInput, "GET runs queries only: send a %s by POST", op.Operation))
			return
		}
	}
	t.GET.Do(w, r, exec)
}
