package exports

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"carnet/ent"
	"carnet/ent/export"
	"carnet/ent/privacy"
	"carnet/internal/documents"
	"carnet/internal/errs"
)

// Download answers GET /exports/{id}: the file of a DONE export, streamed,
// for its requester or an administrator of its organisation (the
// Export's privacy rule); 404 for anyone else, other organisations
// included, and for a FAILED or expired export; 409 while it is PENDING
// or RUNNING. The viewer must be in the request's context.
func Download(client *ent.Client, runner *Runner, decode func(string) (int, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		notFound := func() { errs.WriteHTTPFor(w, r, http.StatusNotFound, errs.E(errs.NotFound, "no such export")) }
		id, err := decode(r.PathValue("id"))
		if err != nil || runner == nil {
			notFound()
			return
		}
		e, err := client.Export.Get(r.Context(), id)
		if err != nil {
			if !ent.IsNotFound(err) && !errors.Is(err, privacy.Deny) {
				slog.ErrorContext(r.Context(), "export download", "err", err.Error())
			}
			notFound()
			return
		}
		switch {
		case e.Status == export.StatusPENDING || e.Status == export.StatusRUNNING:
			errs.WriteHTTPFor(w, r, http.StatusConflict, errs.E(errs.Conflict, "the export is not finished: poll its status until DONE"))
			return
		case e.Status != export.StatusDONE || e.StorageKey == nil || runner.Expired(e):
			notFound()
			return
		}
		rd, err := runner.store.Open(r.Context(), *e.StorageKey)
		if err != nil {
			slog.ErrorContext(r.Context(), "export file missing", "key", *e.StorageKey, "err", err.Error())
			errs.WriteHTTPFor(w, r, http.StatusServiceUnavailable, errs.E(errs.Internal, "the export's file is unavailable"))
			return
		}
		defer rd.Close()
		_, contentType := fileType(e.Format)
		name := "export" + fmt.Sprint(e.ID)
		if e.Filename != nil {
			name = *e.Filename
		}
		h := w.Header()
		h.Set("Content-Type", contentType)
		if e.Size != nil {
			h.Set("Content-Length", fmt.Sprint(*e.Size))
		}
		h.Set("Content-Disposition", documents.ContentDisposition(name))
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "private, no-store")
		if _, err := io.Copy(w, rd); err != nil {
			slog.WarnContext(r.Context(), "export download interrupted", "err", err.Error())
		}
	})
}

// URL is the download URL of an export whose global ID is gid, on the
// server of ctx like a document's (null until it is DONE).
func URL(ctx context.Context, e *ent.Export, gid string) *string {
	if e.Status != export.StatusDONE {
		return nil
	}
	u := documents.BaseURL(ctx) + "/exports/" + gid
	return &u
}
