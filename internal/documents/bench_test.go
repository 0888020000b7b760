package documents_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"carnet/ent"
	"carnet/internal/admin"
	"carnet/internal/db"
	"carnet/internal/documents"
	"carnet/internal/server"
	"carnet/internal/testdb"
)

const (
	benchFileSize = 50 << 20 // the uploaded file
	benchStoreMax = 60 << 20 // the store's limit
	benchBoundary = "carnet-bench-boundary-7f3a9c"
	benchUpload   = `mutation($owner: ID!, $file: Upload!) { uploadDocument(ownerId: $owner, file: $file) { id size contentType } }`
)

// BenchmarkUpload50MB streams a generated 50 MB file through the real
// server's multipart upload (GraphQL multipart request specification) and
// reports the peak heap in use during the upload and the throughput. The
// client never holds the file: an io.Pipe feeds a multipart.Writer.
//
//   - content-length: the client announces the body's length (as browsers
//     and most HTTP clients do for a file);
//   - chunked: no length (Transfer-Encoding: chunked), as a streaming
//     client sends.
func BenchmarkUpload50MB(b *testing.B) {
	srv, token, owner := benchServer(b)
	for _, mode := range []struct {
		name    string
		chunked bool
	}{{"content-length", false}, {"chunked", true}} {
		b.Run(mode.name, func(b *testing.B) {
			var peak uint64
			var elapsed time.Duration
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			baseline := ms.HeapInuse
			b.ResetTimer()
			for range b.N {
				p, d := benchUploadOnce(b, srv.URL, token, owner, mode.chunked)
				peak = max(peak, p)
				elapsed += d
			}
			b.StopTimer()
			const mb = 1 << 20
			mbps := float64(benchFileSize) * float64(b.N) / mb / elapsed.Seconds()
			b.ReportMetric(float64(peak)/mb, "peak-heap-MB")
			b.ReportMetric(float64(baseline)/mb, "baseline-heap-MB")
			b.ReportMetric(mbps, "MB/s")
			b.Logf("%s: %d MB uploaded %d time(s): peak HeapInuse %.1f MB (baseline %.1f MB), %.1f MB/s",
				mode.name, benchFileSize/mb, b.N, float64(peak)/mb, float64(baseline)/mb, mbps)
		})
	}
}

// benchUploadOnce uploads one generated file and returns the peak
// HeapInuse sampled every 5 ms during the upload, and its duration.
func benchUploadOnce(b *testing.B, base, token, owner string, chunked bool) (uint64, time.Duration) {
	b.Helper()
	ops, _ := json.Marshal(map[string]any{"query": benchUpload, "variables": map[string]any{"owner": owner, "file": nil}})
	length := int64(len(multipartFraming(b, string(ops)))) + benchFileSize

	pr, pw := io.Pipe()
	go func() {
		pw.CloseWithError(writeMultipart(pw, string(ops), &genReader{left: benchFileSize, state: 0x9e3779b97f4a7c15}))
	}()
	req, err := http.NewRequest(http.MethodPost, base+"/graphql", pr)
	if err != nil {
		b.Fatal(err)
	}
	if !chunked {
		req.ContentLength = length
	}
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+benchBoundary)
	req.Header.Set("GraphQL-Require-Preflight", "1")
	req.Header.Set("Authorization", "Bearer "+token)

	sampler := startHeapSampler(5 * time.Millisecond)
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		sampler.stop()
		b.Fatal(err)
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	peak := sampler.stop()
	if err != nil {
		b.Fatal(err)
	}
	var out struct {
		Data struct {
			UploadDocument *struct {
				Size int64 `json:"size"`
			} `json:"uploadDocument"`
		} `json:"data"`
		Errors []json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || len(out.Errors) > 0 || out.Data.UploadDocument == nil || out.Data.UploadDocument.Size != benchFileSize {
		b.Fatalf("upload failed (status %d): %s", resp.StatusCode, raw)
	}
	return peak, d
}

// writeMultipart writes the multipart body: operations, map, file.
func writeMultipart(w io.Writer, operations string, file io.Reader) error {
	mw := multipart.NewWriter(w)
	if err := mw.SetBoundary(benchBoundary); err != nil {
		return err
	}
	if err := mw.WriteField("operations", operations); err != nil {
		return err
	}
	if err := mw.WriteField("map", `{"0":["variables.file"]}`); err != nil {
		return err
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="0"; filename="bench.pdf"`)
	h.Set("Content-Type", "application/pdf")
	part, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	if _, err := io.Copy(part, file); err != nil {
		return err
	}
	return mw.Close()
}

// multipartFraming is the body with an empty file: its length plus the
// file's is the Content-Length.
func multipartFraming(b *testing.B, operations string) []byte {
	var buf bytes.Buffer
	if err := writeMultipart(&buf, operations, bytes.NewReader(nil)); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// genReader produces left pseudo-random bytes starting like a PDF,
// without holding them.
type genReader struct {
	left, off int64
	state     uint64
}

const pdfHead = "%PDF-1.4\n"

func (g *genReader) Read(p []byte) (int, error) {
	if g.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > g.left {
		p = p[:g.left]
	}
	for i := range p {
		if g.off < int64(len(pdfHead)) {
			p[i] = pdfHead[g.off]
		} else {
			if (g.off & 7) == 0 {
				g.state ^= g.state << 13
				g.state ^= g.state >> 7
				g.state ^= g.state << 17
			}
			p[i] = byte(g.state >> (8 * (g.off & 7)))
		}
		g.off++
	}
	g.left -= int64(len(p))
	return len(p), nil
}

// heapSampler records the largest HeapInuse seen.
type heapSampler struct {
	done chan struct{}
	wg   sync.WaitGroup
	peak uint64
}

func startHeapSampler(every time.Duration) *heapSampler {
	s := &heapSampler{done: make(chan struct{})}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			s.peak = max(s.peak, ms.HeapInuse)
			select {
			case <-s.done:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// stop ends the sampling and returns the peak.
func (s *heapSampler) stop() uint64 {
	close(s.done)
	s.wg.Wait()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return max(s.peak, ms.HeapInuse)
}

// benchServer starts Carnet like the end-to-end tests (SQLite, a store of
// 60 MB on disk) and returns it with an administrator's token and a
// prospect to upload to.
func benchServer(b *testing.B) (*httptest.Server, string, string) {
	b.Helper()
	ctx := context.Background()
	d := testdb.Open(b, dialect.SQLite)
	var boot *admin.Bootstrap
	err := db.WithTx(ctx, d.Client, func(tx *ent.Client) error {
		var err error
		boot, err = admin.CreateOrganisation(ctx, tx, "Bench", "admin@bench.example")
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	u, err := documents.LocalURL(filepath.Join(b.TempDir(), "documents"))
	if err != nil {
		b.Fatal(err)
	}
	store, err := documents.Open(ctx, u, benchStoreMax)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = store.Close() })
	srv := httptest.NewServer(server.New(server.Config{
		Client: d.Client, Ping: d.SQL.PingContext, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Documents: store,
	}))
	b.Cleanup(srv.Close)

	body, _ := json.Marshal(map[string]any{
		"query":     `mutation($in: CreateProspectInput!) { createProspect(input: $in) { id } }`,
		"variables": map[string]any{"in": map[string]any{"name": "Banc d'essai"}},
	})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+boot.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			CreateProspect struct{ ID string } `json:"createProspect"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.Data.CreateProspect.ID == "" {
		b.Fatalf("create the prospect: %v %+v", err, out)
	}
	return srv, boot.Token, out.Data.CreateProspect.ID
}
