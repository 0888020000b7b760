package pageload

import (
	"context"
	"sync"

	"carnet/ent"
	"carnet/internal/metrics"
)

// field loads one thing per key (a third party's links, its kind) for
// every object at one path of the document at once.
type field[V any] struct {
	name  string
	batch func(context.Context, *ent.Client, []int) (map[int]V, error)

	mu     sync.Mutex
	byPath map[string]*load[V]
	alone  map[int]*load[V]
}

// load is one batch: its values, once done is closed.
type load[V any] struct {
	done   chan struct{}
	values map[int]V
	err    error
}

func newField[V any](name string, batch func(context.Context, *ent.Client, []int) (map[int]V, error)) *field[V] {
	return &field[V]{name: name, batch: batch, byPath: map[string]*load[V]{}, alone: map[int]*load[V]{}}
}

// get returns key's value for the object whose field ctx resolves. The
// first call at a path loads the keys of every object at that path (key
// gives an object's key); the others wait for that batch. One batch per
// path, whatever else was loaded: so the statements are those of the
// document, not of the order in which resolvers ran. An object the walk
// could not reach from the root is loaded alone, which is as
// deterministic.
func (f *field[V]) get(ctx context.Context, l *Loaders, id int, key func(any) (int, bool)) (V, error) {
	steps, path := route(ctx)
	f.mu.Lock()
	b, started := f.byPath[path]
	if !started {
		b = &load[V]{done: make(chan struct{})}
		f.byPath[path] = b
	}
	f.mu.Unlock()
	if !started {
		ids := keys(l.peers(ctx, steps), key, id)
		f.run(ctx, l, b, ids)
	}
	<-b.done
	if v, ok := b.values[id]; ok || b.err != nil {
		return v, b.err
	}

	f.mu.Lock()
	a, started := f.alone[id]
	if !started {
		a = &load[V]{done: make(chan struct{})}
		f.alone[id] = a
	}
	f.mu.Unlock()
	if !started {
		f.run(ctx, l, a, []int{id})
	}
	<-a.done
	return a.values[id], a.err
}

func (f *field[V]) run(ctx context.Context, l *Loaders, b *load[V], ids []int) {
	defer close(b.done)
	metrics.Batch(f.name, len(ids))
	b.values, b.err = f.batch(ctx, l.clientOf(ctx), ids)
	if b.err == nil {
		// A key the batch has no row for (a third party not found) has
		// the zero value, as the rows of others do not name it.
		for _, id := range ids {
			if _, ok := b.values[id]; !ok {
				b.values[id] = *new(V)
			}
		}
	}
}

// loaded returns key's value as loaded at path, if it is done.
func (f *field[V]) loaded(path string, id int) (V, bool) {
	f.mu.Lock()
	batches := []*load[V]{f.byPath[path], f.alone[id]}
	f.mu.Unlock()
	for _, b := range batches {
		if b == nil {
			continue
		}
		select {
		case <-b.done:
			if v, ok := b.values[id]; ok {
				return v, true
			}
		default:
		}
	}
	var zero V
	return zero, false
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
