package documents

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"unicode/utf8"

	entgo "entgo.io/ent"
	"github.com/99designs/gqlgen/graphql"

	"carnet/ent"
	"carnet/ent/document"
	"carnet/ent/hook"
	"carnet/ent/privacy"
	"carnet/internal/auth"
	"carnet/internal/errs"
	"carnet/internal/rights"
	"carnet/internal/viewer"
)

// Owner is what a document hangs on: exactly one of the two IDs is set.
type Owner struct {
	ThirdPartyID, ContactID *int
}

// ResolveOwner finds whether id is a third party or a contact the viewer
// sees.
func ResolveOwner(ctx context.Context, client *ent.Client, id int) (Owner, error) {
	if tp, err := client.ThirdParty.Get(ctx, id); err == nil {
		return Owner{ThirdPartyID: &tp.ID}, nil
	} else if !ent.IsNotFound(err) {
		return Owner{}, fmt.Errorf("documents: owner: %w", err)
	}
	if c, err := client.Contact.Get(ctx, id); err == nil {
		return Owner{ContactID: &c.ID}, nil
	} else if !ent.IsNotFound(err) {
		return Owner{}, fmt.Errorf("documents: owner: %w", err)
	}
	return Owner{}, errs.E(errs.NotFound, "no third party or contact with this ID")
}

// Upload stores a file and records it on its owner (right 100004).
func Upload(ctx context.Context, client *ent.Client, store *Store, ownerID int, file graphql.Upload, title *string) (*ent.Document, error) {
	if err := auth.Require(ctx, rights.ManageDocuments); err != nil {
		return nil, err
	}
	if store == nil {
		return nil, errs.E(errs.Internal, "document storage is not configured")
	}
	owner, err := ResolveOwner(ctx, client, ownerID)
	if err != nil {
		return nil, err
	}
	if file.Size > store.maxSize {
		return nil, tooLarge(store.maxSize)
	}
	name := originalName(file.Filename)
	t := name
	if title != nil && strings.TrimSpace(*title) != "" {
		t = strings.TrimSpace(*title)
		if utf8.RuneCountInString(t) > 200 {
			return nil, errs.Invalid("title", "title is longer than 200 characters")
		}
	} else if r := []rune(t); len(r) > 200 {
		t = string(r[:200]) // the title defaults to the file name, shortened
	}

	return Save(ctx, client, store, owner, name, t, file.File, true)
}

// Save stores the bytes of r as a document of owner named name, sniffing
// their type; listed false keeps it off the record's lists (a printed
// sheet that was not attached). The caller has checked the rights.
func Save(ctx context.Context, client *ent.Client, store *Store, owner Owner, name, title string, r io.Reader, listed bool) (*ent.Document, error) {
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, errs.Invalid("file", "the file could not be read")
	}
	head = head[:n]
	contentType := http.DetectContentType(head)
	hash := sha256.New()
	counted := &counter{}
	body := io.TeeReader(io.LimitReader(io.MultiReader(bytes.NewReader(head), r), store.maxSize+1), io.MultiWriter(hash, counted))

	key := storageKey(viewer.FromContext(ctx).OrgID, name)
	if err := store.write(ctx, key, contentType, body); err != nil {
		_ = store.remove(context.WithoutCancel(ctx), key)
		if ctx.Err() != nil {
			return nil, errs.E(errs.BadUserInput, "the upload was interrupted")
		}
		slog.ErrorContext(ctx, "document storage write failed", "err", err.Error())
		return nil, errs.E(errs.Internal, "document storage is unavailable; nothing was kept")
	}
	if counted.n > store.maxSize {
		_ = store.remove(context.WithoutCancel(ctx), key)
		return nil, tooLarge(store.maxSize)
	}
	cleanup := func() { _ = store.remove(context.WithoutCancel(ctx), key) }
	if tx := ent.TxFromContext(ctx); tx != nil {
		tx.OnRollback(func(next ent.Rollbacker) ent.Rollbacker {
			return ent.RollbackFunc(func(ctx context.Context, tx *ent.Tx) error {
				err := next.Rollback(ctx, tx)
				cleanup()
				return err
			})
		})
	}
	doc, err := client.Document.Create().
		SetTitle(title).SetFilename(name).SetContentType(contentType).
		SetSize(counted.n).SetSha256(hex.EncodeToString(hash.Sum(nil))).
		SetStorageKey(key).SetListed(listed).
		SetNillableThirdPartyID(owner.ThirdPartyID).SetNillableContactID(owner.ContactID).
		SetAuthorID(viewer.FromContext(ctx).UserID).
		Save(auth.System(ctx))
	if err != nil {
		if ent.TxFromContext(ctx) == nil {
			cleanup()
		}
		return nil, err
	}
	return doc, nil
}

func tooLarge(max int64) error {
	return errs.Invalid("file", "the file is larger than the limit of %d bytes (%d MB)", max, max>>20)
}

type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// originalName is the uploaded file's name without any path, as shown on
// download.
func originalName(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, strings.TrimSpace(name))
	if name == "" || name == "." || name == ".." {
		return "document"
	}
	if len(name) > 255 {
		ext := path.Ext(name)
		if len(ext) > 20 {
			ext = ""
		}
		name = strings.ToValidUTF8(name[:255-len(ext)], "") + ext
	}
	return name
}

// storageKey is a new, unique, safe key: organisation, random part, and
// the name reduced to [A-Za-z0-9._-].
func storageKey(orgID int, name string) string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	safe := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			return r
		}
		return '_'
	}, name)
	safe = strings.TrimLeft(safe, ".")
	if len(safe) > 80 {
		safe = safe[len(safe)-80:]
	}
	return fmt.Sprintf("org-%d/%s-%s", orgID, hex.EncodeToString(b), safe)
}

// Delete deletes a document and, when the transaction commits, its file
// (right 100004).
func Delete(ctx context.Context, client *ent.Client, id int) error {
	if err := auth.Require(ctx, rights.ManageDocuments); err != nil {
		return err
	}
	if _, err := client.Document.Get(ctx, id); err != nil {
		if ent.IsNotFound(err) {
			return errs.E(errs.NotFound, "no document with this ID")
		}
		return fmt.Errorf("documents: find: %w", err)
	}
	return client.Document.DeleteOneID(id).Exec(ctx)
}

// DeleteHook removes the files of deleted documents once the deletion is
// committed, whatever deleted them (deleteDocument or a record's
// cascade). Without a store in the context it refuses, rather than leave
// files behind.
func DeleteHook(next entgo.Mutator) entgo.Mutator {
	return hook.DocumentFunc(func(ctx context.Context, m *ent.DocumentMutation) (entgo.Value, error) {
		if !m.Op().Is(entgo.OpDelete | entgo.OpDeleteOne) {
			return next.Mutate(ctx, m)
		}
		sys := auth.System(ctx)
		ids, err := m.IDs(sys)
		if err != nil {
			return nil, fmt.Errorf("documents: to delete: %w", err)
		}
		if len(ids) == 0 {
			return next.Mutate(ctx, m)
		}
		store := StoreFrom(ctx)
		if store == nil {
			return nil, errors.New("documents: no document store in context: files would be left behind")
		}
		keys, err := m.Client().Document.Query().Where(document.IDIn(ids...)).Select(document.FieldStorageKey).Strings(sys)
		if err != nil {
			return nil, fmt.Errorf("documents: to delete: %w", err)
		}
		v, err := next.Mutate(ctx, m)
		if err != nil {
			return nil, err
		}
		removeAll := func() {
			for _, k := range keys {
				if err := store.remove(context.WithoutCancel(ctx), k); err != nil {
					slog.ErrorContext(ctx, "document file not removed", "key", k, "err", err.Error())
				}
			}
		}
		if tx, err := m.Tx(); err == nil {
			tx.OnCommit(func(next ent.Committer) ent.Committer {
				return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
					if err := next.Commit(ctx, tx); err != nil {
						return err
					}
					removeAll()
					return nil
				})
			})
		} else {
			removeAll()
		}
		return v, nil
	})
}

// Download answers GET /documents/{id}: the file with its original name,
// for whoever may read the owner record; 404 for anyone else, other
// organisations included. The viewer must be in the request's context.
func Download(client *ent.Client, store *Store, decode func(string) (int, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		notFound := func() { errs.WriteHTTPFor(w, r, http.StatusNotFound, errs.E(errs.NotFound, "no such document")) }
		id, err := decode(r.PathValue("id"))
		if err != nil {
			notFound()
			return
		}
		doc, err := client.Document.Get(r.Context(), id)
		if err != nil {
			if !ent.IsNotFound(err) && !errors.Is(err, privacy.Deny) {
				slog.ErrorContext(r.Context(), "document download", "err", err.Error())
			}
			notFound()
			return
		}
		rd, err := store.open(r.Context(), doc.StorageKey)
		if err != nil {
			slog.ErrorContext(r.Context(), "document file missing", "key", doc.StorageKey, "err", err.Error())
			errs.WriteHTTPFor(w, r, http.StatusServiceUnavailable, errs.E(errs.Internal, "the document's file is unavailable"))
			return
		}
		defer rd.Close()
		h := w.Header()
		h.Set("Content-Type", doc.ContentType)
		h.Set("Content-Length", fmt.Sprint(doc.Size))
		h.Set("Content-Disposition", ContentDisposition(doc.Filename))
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "private, no-store")
		h.Set("ETag", `"`+doc.Sha256+`"`)
		if _, err := io.Copy(w, rd); err != nil {
			slog.WarnContext(r.Context(), "document download interrupted", "err", err.Error())
		}
	})
}

// ContentDisposition is an attachment header with the original name: an
// ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987).
func ContentDisposition(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, rfc5987(name))
}

// rfc5987 percent-encodes everything but RFC 5987's attr-char.
func rfc5987(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// NewestFirst is the order of document lists.
var NewestFirst = &ent.DocumentOrder{Direction: "DESC", Field: ent.DocumentOrderFieldCreatedAt}

type baseURLKey struct{}

// WithBaseURL returns ctx carrying the server's external base URL.
func WithBaseURL(ctx context.Context, base string) context.Context {
	return context.WithValue(ctx, baseURLKey{}, strings.TrimRight(base, "/"))
}

// URL is the download URL of a document whose global ID is gid.
func URL(ctx context.Context, gid string) string {
	return BaseURL(ctx) + "/documents/" + gid
}

// BaseURL is the server's external base URL of ctx ("" when unknown):
// download URLs of other packages (exports) start with it too.
func BaseURL(ctx context.Context) string {
	base, _ := ctx.Value(baseURLKey{}).(string)
	return base
}
