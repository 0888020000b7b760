package pageload

import (
	"context"
	"sync"

	"github.com/graph-gophers/dataloader/v7"

	"carnet/ent"
	"carnet/internal/metrics"
)

// field loads one thing per key (a third party's links, its kind) for
// every object at one path of the document at once. Its values live in a
// dataloader, the request's cache: the load of a path primes it, and
// resolvers read it with Load.
type field[V any] struct {
	name  string
	batch func(context.Context, *ent.Client, []int) (map[int]V, error)

	// loader holds the values by place: those primed for a path, and
	// those loaded one by one (path ""). Its batches hold one key: a key
	// not primed is loaded alone at once, never after a time window.
	loader *dataloader.Loader[placed, V]
	cache  *dataloader.InMemoryCache[placed, V]

	mu     sync.Mutex
	byPath map[string]*pathLoad
}

// placed keys a value by the path whose load primed it ("" for an object
// loaded alone) and its key.
type placed struct {
	path string
	id   int
}

// pathLoad is the load of one path: the keys primed, once done is closed.
type pathLoad struct {
	done chan struct{}
	ids  map[int]bool
	err  error
}

func newField[V any](l *Loaders, name string, batch func(context.Context, *ent.Client, []int) (map[int]V, error)) *field[V] {
	f := &field[V]{name: name, batch: batch, byPath: map[string]*pathLoad{}, cache: dataloader.NewCache[placed, V]()}
	f.loader = dataloader.NewBatchedLoader(func(ctx context.Context, keys []placed) []*dataloader.Result[V] {
		ids := make([]int, len(keys))
		for i, k := range keys {
			ids[i] = k.id
		}
		metrics.Batch(f.name, len(ids))
		values, err := f.batch(ctx, l.clientOf(ctx), ids)
		out := make([]*dataloader.Result[V], len(keys))
		for i, id := range ids {
			out[i] = &dataloader.Result[V]{Data: values[id], Error: err}
		}
		return out
	}, dataloader.WithCache[placed, V](f.cache), dataloader.WithBatchCapacity[placed, V](1))
	return f
}

// get returns key's value for the object whose field ctx resolves. The
// first call at a path loads the keys of every object at that path (key
// gives an object's key) and primes the loader with them; the others wait
// for that load, then read the loader. One load per path, whatever else
// was loaded: so the statements are those of the document, not of the
// order in which resolvers ran. An object the walk could not reach from
// the root is loaded alone (once per request), which is as deterministic.
func (f *field[V]) get(ctx context.Context, l *Loaders, id int, key func(any) (int, bool)) (V, error) {
	steps, path := route(ctx)
	f.mu.Lock()
	p, started := f.byPath[path]
	if !started {
		p = &pathLoad{done: make(chan struct{})}
		f.byPath[path] = p
	}
	f.mu.Unlock()
	if !started {
		f.load(ctx, l, p, path, keys(l.peers(ctx, steps), key, id))
	}
	<-p.done
	if p.err != nil {
		var zero V
		return zero, p.err
	}
	if !p.ids[id] {
		path = ""
	}
	return f.loader.Load(ctx, placed{path, id})()
}

func (f *field[V]) load(ctx context.Context, l *Loaders, p *pathLoad, path string, ids []int) {
	defer close(p.done)
	metrics.Batch(f.name, len(ids))
	values, err := f.batch(ctx, l.clientOf(ctx), ids)
	if err != nil {
		p.err = err
		return
	}
	p.ids = make(map[int]bool, len(ids))
	for _, id := range ids {
		// A key the batch has no row for (a third party not found) has
		// the zero value, as the rows of others do not name it.
		f.loader.Prime(ctx, placed{path, id}, values[id])
		p.ids[id] = true
	}
}

// loaded returns key's value as primed for path, if that path is loaded.
func (f *field[V]) loaded(ctx context.Context, path string, id int) (V, bool) {
	f.mu.Lock()
	p := f.byPath[path]
	f.mu.Unlock()
	var zero V
	if p == nil {
		return zero, false
	}
	select {
	case <-p.done:
	default:
		return zero, false
	}
	if !p.ids[id] {
		return zero, false
	}
	thunk, ok := f.cache.Get(ctx, placed{path, id})
	if !ok {
		return zero, false
	}
	v, err := thunk()
	return v, err == nil
}

// keys returns the distinct keys of objs, id first.
func keys(objs []any, key func(any) (int, bool), id int) []int {
	seen := map[int]bool{id: true}
	out := []int{id}
	for _, o := range objs {
		if k, ok := key(o); ok && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}
