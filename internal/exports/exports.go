// Package exports writes bulk exports of an organisation's data: every
// third party or contact, or the filiation and management link graphs,
// as JSON Lines, CSV, GraphML or GEXF.
//
// startExport records an Export (PENDING) and returns at once; a Runner
// of the server process writes it in the background with the
// requester's viewer, so privacy rules (tenant, rights, closed clients)
// apply exactly as to the API's queries. The Runner keeps exports from
// starving interactive requests: a few at once in the process (Workers),
// one unfinished per organisation, rows read by pages of PageSize in ID
// order with a Pause between pages, never in a long transaction. The
// file streams into the documents' blob storage and is downloaded from
// GET /exports/{id} (Download). A failure leaves status FAILED, an error
// text and no file. Exports are removed (row and file) Expiry after they
// were started.
package exports

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"carnet/ent"
	"carnet/ent/export"
	"carnet/internal/auth"
	"carnet/internal/db"
	"carnet/internal/documents"
	"carnet/internal/errs"
	"carnet/internal/filiation"
	"carnet/internal/labels"
	"carnet/internal/lang"
	"carnet/internal/links"
	"carnet/internal/rights"
	"carnet/internal/viewer"
)

// StartInput is the input of startExport.
type StartInput struct {
	Kind   export.Kind   `json:"kind"`
	Format export.Format `json:"format"`
	RootID *int          `json:"rootId"`
}

// formats are the formats each kind may be written in.
var formats = map[export.Kind][]export.Format{
	export.KindTHIRD_PARTIES:    {export.FormatJSONL, export.FormatCSV},
	export.KindCONTACTS:         {export.FormatJSONL, export.FormatCSV},
	export.KindFILIATION_GRAPH:  {export.FormatGRAPHML, export.FormatGEXF, export.FormatJSONL, export.FormatCSV},
	export.KindMANAGEMENT_LINKS: {export.FormatGRAPHML, export.FormatGEXF, export.FormatJSONL, export.FormatCSV},
}

// Defaults of Options.
const (
	DefaultWorkers  = 2
	DefaultPageSize = 2000
	DefaultPause    = 20 * time.Millisecond
	DefaultExpiry   = 24 * time.Hour
	// staleAfter is how long an unfinished export may go without a sign
	// of life (its row is touched at every page, and every minute while
	// it waits) before it is taken for interrupted (a stopped process).
	staleAfter = 5 * time.Minute
)

// Options bound a Runner's work; zero values take the defaults.
type Options struct {
	// Workers is how many exports the process writes at once.
	Workers int
	// PageSize is how many rows one statement reads.
	PageSize int
	// Pause is the wait between two pages (negative: none).
	Pause time.Duration
	// Expiry is how long an export is kept after it was started.
	Expiry time.Duration
	// Logger receives failures.
	Logger *slog.Logger
}

// Runner writes exports in the background of the server process.
type Runner struct {
	client *ent.Client
	store  *documents.Store
	opt    Options
	slots  chan struct{}
	base   context.Context
	stop   context.CancelFunc
	wg     sync.WaitGroup
	sweep  sync.Mutex
	swept  time.Time
}

// NewRunner returns a Runner that reads through client and stores files
// in store.
func NewRunner(client *ent.Client, store *documents.Store, opt Options) *Runner {
	if opt.Workers <= 0 {
		opt.Workers = DefaultWorkers
	}
	if opt.PageSize <= 0 {
		opt.PageSize = DefaultPageSize
	}
	if opt.Pause == 0 {
		opt.Pause = DefaultPause
	}
	if opt.Expiry <= 0 {
		opt.Expiry = DefaultExpiry
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	base, stop := context.WithCancel(context.Background())
	return &Runner{client: client, store: store, opt: opt, slots: make(chan struct{}, opt.Workers), base: base, stop: stop}
}

// Close stops the exports being written (they become FAILED, their files
// removed) and waits for them, or for ctx.
func (r *Runner) Close(ctx context.Context) error {
	r.stop()
	done := make(chan struct{})
	go func() { r.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

type runnerKey struct{}

// WithRunner returns ctx carrying the runner (the server puts it in every
// request's context).
func WithRunner(ctx context.Context, r *Runner) context.Context {
	return context.WithValue(ctx, runnerKey{}, r)
}

// RunnerFrom returns the runner of ctx, or nil.
func RunnerFrom(ctx context.Context) *Runner {
	r, _ := ctx.Value(runnerKey{}).(*Runner)
	return r
}

// Start checks an export's input and the viewer's rights, records it
// (PENDING) and has the runner write it once the operation commits.
// Impossible combinations are BAD_USER_INPUT, an unknown or hidden root
// NOT_FOUND, a second unfinished export of the organisation CONFLICT;
// none of them records anything.
func Start(ctx context.Context, client *ent.Client, runner *Runner, in StartInput) (*ent.Export, error) {
	if runner == nil || runner.store == nil {
		return nil, errs.E(errs.Internal, "exports are not configured on this server")
	}
	if err := check(in); err != nil {
		return nil, err
	}
	if err := requireRead(ctx, in.Kind); err != nil {
		return nil, err
	}
	if in.RootID != nil {
		if _, err := client.ThirdParty.Get(ctx, *in.RootID); err != nil {
			if ent.IsNotFound(err) {
				return nil, errs.E(errs.NotFound, "no third party with this ID")
			}
			return nil, fmt.Errorf("exports: root: %w", err)
		}
	}
	// One unfinished export per organisation, under races too.
	if err := links.Lock(ctx, client); err != nil {
		return nil, err
	}
	v := viewer.FromContext(ctx)
	sys := auth.System(ctx)
	unfinished := client.Export.Query().Where(export.OrganisationID(v.OrgID), export.StatusIn(export.StatusPENDING, export.StatusRUNNING))
	// Interrupted by a stopped process: failed, and out of the way.
	stale := time.Now().UTC().Add(-staleAfter)
	if _, err := client.Export.Update().
		Where(export.OrganisationID(v.OrgID), export.StatusIn(export.StatusPENDING, export.StatusRUNNING), export.UpdatedAtLT(stale)).
		SetStatus(export.StatusFAILED).SetError(interrupted().In(lang.FromContext(ctx), labels.Arg)).SetFinishedAt(time.Now().UTC()).Save(sys); err != nil {
		return nil, fmt.Errorf("exports: fail stale exports: %w", err)
	}
	if busy, err := unfinished.Exist(sys); err != nil {
		return nil, fmt.Errorf("exports: unfinished: %w", err)
	} else if busy {
		return nil, errs.E(errs.Conflict, "an export of this organisation is already under way: wait until it is DONE or FAILED")
	}
	e, err := client.Export.Create().
		SetKind(in.Kind).SetFormat(in.Format).SetNillableRootID(in.RootID).SetAuthorID(v.UserID).
		Save(ctx)
	if err != nil {
		return nil, err
	}
	job := job{id: e.ID, kind: in.Kind, format: in.Format, rootID: in.RootID, orgID: v.OrgID, viewer: v, lang: lang.FromContext(ctx), created: e.CreatedAt}
	db.AfterCommit(ent.TxFromContext(ctx), func() { runner.launch(job) })
	return e, nil
}

// interrupted is the error of an export whose process stopped.
func interrupted() *errs.Error {
	return errs.E(errs.Internal, "the export was interrupted (the server stopped): start it again")
}

// check refuses impossible combinations of kind, format and root.
func check(in StartInput) error {
	ok, known := formats[in.Kind]
	if !known {
		return errs.Invalid("kind", "unknown export kind %s", in.Kind)
	}
	if !slices.Contains(ok, in.Format) {
		names := make([]string, len(ok))
		for i, f := range ok {
			names[i] = string(f)
		}
		return errs.Invalid("format", "a %s export cannot be written as %s: use one of %s", in.Kind, in.Format, strings.Join(names, ", "))
	}
	if in.RootID != nil && in.Kind != export.KindFILIATION_GRAPH {
		return errs.Invalid("rootId", "rootId applies to FILIATION_GRAPH exports only")
	}
	return nil
}

// requireRead checks, before anything is recorded, what the export's
// queries would otherwise refuse row by row.
func requireRead(ctx context.Context, kind export.Kind) error {
	switch kind {
	case export.KindFILIATION_GRAPH:
		return filiation.RequireRead(ctx)
	case export.KindMANAGEMENT_LINKS:
		if !viewer.FromContext(ctx).ManagementLinks {
			return errs.E(errs.FeatureDisabled, "management links are switched off for this organisation")
		}
		return auth.Require(ctx, rights.ReadClientMgmtLinks, rights.ReadProspectMgmtLinks)
	default:
		return auth.Require(ctx, rights.ReadAddressBook, rights.Integrate)
	}
}

// job is an export to write, with who asked for it.
type job struct {
	id      int
	kind    export.Kind
	format  export.Format
	rootID  *int
	orgID   int
	viewer  *viewer.Viewer
	lang    lang.Language
	created time.Time
}

// launch writes j in the background.
func (r *Runner) launch(j job) {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		r.run(j)
	}()
}

// run waits for a slot, writes the export and records the outcome.
func (r *Runner) run(j job) {
	ctx := viewer.NewContext(r.base, j.viewer)
	ctx = lang.NewContext(ctx, j.lang)
	ctx = documents.WithStore(ctx, r.store)
	// Outcomes are recorded even when the runner stops.
	record := func() (context.Context, context.CancelFunc) {
		return context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	}
	fail := func(err error) {
		e, ok := errs.As(err)
		switch {
		case ok:
		case r.base.Err() != nil:
			e = interrupted()
		default:
			r.opt.Logger.Error("export failed", "export_id", j.id, "organisation_id", j.orgID, "err", err.Error())
			e = errs.E(errs.Internal, "the export failed and nothing was kept: start it again, or quote export %d to support", j.id)
		}
		msg := e.In(j.lang, labels.Arg)
		rctx, cancel := record()
		defer cancel()
		if err := r.client.Export.UpdateOneID(j.id).SetStatus(export.StatusFAILED).SetError(msg).
			SetFinishedAt(time.Now().UTC()).Exec(rctx); err != nil {
			r.opt.Logger.Error("export failure not recorded", "export_id", j.id, "err", err.Error())
		}
	}
	defer func() {
		if p := recover(); p != nil {
			fail(fmt.Errorf("panic: %v", p))
		}
	}()
	if err := r.acquire(ctx, j.id); err != nil {
		fail(err)
		return
	}
	defer func() { <-r.slots }()
	// Here rather than in Start: on SQLite a write beside the operation's
	// transaction would wait for its lock.
	r.sweepExpired(ctx)
	if err := r.client.Export.UpdateOneID(j.id).SetStatus(export.StatusRUNNING).Exec(ctx); err != nil {
		fail(err)
		return
	}
	ext, contentType := fileType(j.format)
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	key := fmt.Sprintf("org-%d/exports/%s%s", j.orgID, hex.EncodeToString(b), ext)
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	bw, err := r.store.NewWriter(wctx, key, contentType)
	if err != nil {
		fail(err)
		return
	}
	out := &countingWriter{w: bw}
	p := &progress{runner: r, id: j.id, ctx: ctx}
	counts, err := r.write(ctx, j, out, p)
	if err != nil {
		cancel() // the bucket keeps nothing
		_ = bw.Close()
		r.remove(ctx, key)
		fail(err)
		return
	}
	if err := bw.Close(); err != nil {
		r.remove(ctx, key)
		fail(err)
		return
	}
	rctx, rcancel := record()
	defer rcancel()
	err = r.client.Export.UpdateOneID(j.id).SetStatus(export.StatusDONE).
		SetRowCount(counts.rows).SetNillableNodeCount(counts.nodes).
		SetStorageKey(key).SetFilename(filename(j, ext)).SetSize(out.n).
		SetFinishedAt(time.Now().UTC()).Exec(rctx)
	if err != nil {
		r.remove(ctx, key)
		fail(err)
	}
}

// acquire waits for one of the process's slots, touching the export's
// row every minute so that it is not taken for interrupted.
func (r *Runner) acquire(ctx context.Context, id int) error {
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		select {
		case r.slots <- struct{}{}:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
			_ = r.client.Export.UpdateOneID(id).SetUpdatedAt(time.Now().UTC()).Exec(ctx)
		}
	}
}

// remove deletes a file that must not be kept, logging a failure.
func (r *Runner) remove(ctx context.Context, key string) {
	if err := r.store.Remove(context.WithoutCancel(ctx), key); err != nil {
		r.opt.Logger.Error("export file not removed", "key", key, "err", err.Error())
	}
}

// progress records the rows written (and that the export lives) after
// each page, then pauses.
type progress struct {
	runner *Runner
	id     int
	ctx    context.Context
	rows   int
}

// page records n more rows and waits the runner's pause.
func (p *progress) page(n int) error {
	p.rows += n
	if err := p.runner.client.Export.UpdateOneID(p.id).SetRowCount(p.rows).Exec(p.ctx); err != nil {
		return err
	}
	if p.runner.opt.Pause <= 0 {
		return p.ctx.Err()
	}
	t := time.NewTimer(p.runner.opt.Pause)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-p.ctx.Done():
		return p.ctx.Err()
	}
}

// counts are what an export wrote: rows (records, or edges for graphs)
// and, for graphs, nodes.
type counts struct {
	rows  int
	nodes *int
}

type countingWriter struct {
	w interface{ Write([]byte) (int, error) }
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// fileType is the extension and media type of a format.
func fileType(f export.Format) (ext, contentType string) {
	switch f {
	case export.FormatCSV:
		return ".csv", "text/csv; charset=utf-8; header=present"
	case export.FormatGRAPHML:
		return ".graphml", "application/graphml+xml"
	case export.FormatGEXF:
		return ".gexf", "application/gexf+xml"
	default:
		return ".jsonl", "application/jsonl"
	}
}

// filename is the name a download is saved under:
// carnet-third-parties-20261208-0110.csv.
func filename(j job, ext string) string {
	return "carnet-" + strings.ReplaceAll(strings.ToLower(string(j.kind)), "_", "-") + "-" + j.created.UTC().Format("20060102-1504") + ext
}

// sweepExpired removes, at most once a minute (or Expiry), the finished
// exports started more than Expiry ago (rows, then files), whatever
// their organisation.
func (r *Runner) sweepExpired(ctx context.Context) {
	r.sweep.Lock()
	if time.Since(r.swept) < min(time.Minute, r.opt.Expiry) {
		r.sweep.Unlock()
		return
	}
	r.swept = time.Now()
	r.sweep.Unlock()
	sys := auth.System(context.WithoutCancel(ctx))
	old, err := r.client.Export.Query().Where(export.CreatedAtLT(time.Now().UTC().Add(-r.opt.Expiry))).Limit(1000).All(sys)
	if err != nil {
		r.opt.Logger.Error("expired exports not listed", "err", err.Error())
		return
	}
	for _, e := range old {
		if e.Status == export.StatusPENDING || e.Status == export.StatusRUNNING {
			continue
		}
		if _, err := r.client.Export.Delete().Where(export.ID(e.ID)).Exec(sys); err != nil {
			r.opt.Logger.Error("expired export not removed", "export_id", e.ID, "err", err.Error())
			continue
		}
		if e.StorageKey != nil {
			r.remove(sys, *e.StorageKey)
		}
	}
}

// Expired reports whether an export is past its expiry (kept until the
// next sweep, but no longer downloadable).
func (r *Runner) Expired(e *ent.Export) bool {
	return time.Since(e.CreatedAt) > r.opt.Expiry
}
