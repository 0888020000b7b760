// Package documents stores the files attached to third parties and
// contacts: bytes in blob storage (gocloud.dev/blob: a local folder by
// default, any bucket URL such as s3://… in production), rows in the
// database.
//
// Uploads stream from gqlgen's multipart reader (which spills to temporary
// files past 1 MiB) through a SHA-256 hasher into the bucket: memory stays
// bounded whatever the size. The content type is sniffed from the first
// 512 bytes. A file is written before its row; if the transaction then
// rolls back, an OnRollback hook deletes the file. A deleted row's file is
// removed when the transaction commits (DeleteHook, on every delete path,
// cascades included), so no row points at nothing and no file outlives
// its row.
package documents

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"path/filepath"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/fileblob" // file:// buckets
	_ "gocloud.dev/blob/memblob"  // mem:// buckets (tests)
	_ "gocloud.dev/blob/s3blob"   // s3:// buckets
	"gocloud.dev/gcerrors"
)

// DefaultMaxSize is the largest upload accepted unless configured.
const DefaultMaxSize = 25 << 20

// Store is where documents' bytes live.
type Store struct {
	bucket  *blob.Bucket
	maxSize int64
}

// Open opens the bucket of bucketURL ("file:///abs/dir", "mem://",
// "s3://bucket?region=…"). maxSize ≤ 0 means DefaultMaxSize.
func Open(ctx context.Context, bucketURL string, maxSize int64) (*Store, error) {
	if maxSize <= 0 {
		maxSize = DefaultMaxSize
	}
	b, err := blob.OpenBucket(ctx, bucketURL)
	if err != nil {
		return nil, fmt.Errorf("documents: open bucket %s: %w", redactURL(bucketURL), err)
	}
	return &Store{bucket: b, maxSize: maxSize}, nil
}

// LocalURL is the bucket URL of a folder, created when missing.
func LocalURL(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	// no_tmp_dir: temporary files go beside the documents, so the final
	// rename never crosses file systems (a volume, a tmpfs /tmp).
	return "file://" + filepath.ToSlash(abs) + "?create_dir=true&no_tmp_dir=true", nil
}

// MaxSize is the largest upload accepted, in bytes.
func (s *Store) MaxSize() int64 { return s.maxSize }

// Close closes the bucket.
func (s *Store) Close() error { return s.bucket.Close() }

// Open returns a reader of a stored file.
func (s *Store) open(ctx context.Context, key string) (*blob.Reader, error) {
	return s.bucket.NewReader(ctx, key, nil)
}

// remove deletes a stored file; a missing file is not an error.
func (s *Store) remove(ctx context.Context, key string) error {
	if err := s.bucket.Delete(ctx, key); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
		return err
	}
	return nil
}

// Exists reports whether a file is stored under key (for tests and checks).
func (s *Store) Exists(ctx context.Context, key string) (bool, error) {
	return s.bucket.Exists(ctx, key)
}

// write streams r into a new file under key.
func (s *Store) write(ctx context.Context, key, contentType string, r io.Reader) error {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := s.bucket.NewWriter(wctx, key, &blob.WriterOptions{ContentType: contentType})
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, r); err != nil {
		cancel() // abort: the bucket keeps nothing
		_ = w.Close()
		return err
	}
	return w.Close()
}

type storeKey struct{}

// WithStore returns ctx carrying the store (the server puts it in every
// request's context, so that ent hooks reach it).
func WithStore(ctx context.Context, s *Store) context.Context {
	return context.WithValue(ctx, storeKey{}, s)
}

// StoreFrom returns the store of ctx, or nil.
func StoreFrom(ctx context.Context) *Store {
	s, _ := ctx.Value(storeKey{}).(*Store)
	return s
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(invalid URL)"
	}
	u.RawQuery = ""
	return u.String()
}

// NewWriter opens a new file under key for another package's streamed
// output (internal/exports): the file exists once Close succeeds;
// cancelling ctx before Close discards it.
func (s *Store) NewWriter(ctx context.Context, key, contentType string) (*blob.Writer, error) {
	return s.bucket.NewWriter(ctx, key, &blob.WriterOptions{ContentType: contentType})
}

// Open returns a reader of the file stored under key.
func (s *Store) Open(ctx context.Context, key string) (*blob.Reader, error) { return s.open(ctx, key) }

// Remove deletes the file stored under key; a missing file is not an
// error.
func (s *Store) Remove(ctx context.Context, key string) error { return s.remove(ctx, key) }
