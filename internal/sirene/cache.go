package sirene

import (
	"container/list"
	"sync"
	"time"
)

// cacheSize bounds the number of identifiers a Client remembers.
const cacheSize = 10000

// cache is a bounded LRU of lookup results with an expiry, safe for
// concurrent use.
type cache struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *cacheEntry, most recently used first
	items map[string]*list.Element
}

// cacheEntry is a found company, or a "not found" answer when company is
// nil.
type cacheEntry struct {
	key      string
	company  *Company
	notFound string // message of the SIRENE_NOT_FOUND error
	expires  time.Time
}

func newCache(max int) *cache {
	return &cache{max: max, order: list.New(), items: make(map[string]*list.Element)}
}

// get returns a copy of the company cached under key or, when the cached
// answer is "not found", a nil company and the message of the error; ok is
// false when nothing valid is cached.
func (c *cache) get(key string, now time.Time) (co *Company, notFound string, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, found := c.items[key]
	if !found {
		return nil, "", false
	}
	e := el.Value.(*cacheEntry)
	if !now.Before(e.expires) {
		c.order.Remove(el)
		delete(c.items, key)
		return nil, "", false
	}
	c.order.MoveToFront(el)
	if e.company == nil {
		return nil, e.notFound, true
	}
	return e.company.clone(), "", true
}

// putCompany caches a copy of co under key until now+ttl.
func (c *cache) putCompany(key string, co *Company, now time.Time, ttl time.Duration) {
	c.put(&cacheEntry{key: key, company: co.clone(), expires: now.Add(ttl)})
}

// putNotFound caches a "not found" answer under key until now+ttl.
func (c *cache) putNotFound(key, message string, now time.Time, ttl time.Duration) {
	c.put(&cacheEntry{key: key, notFound: message, expires: now.Add(ttl)})
}

func (c *cache) put(e *cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, found := c.items[e.key]; found {
		el.Value = e
		c.order.MoveToFront(el)
		return
	}
	c.items[e.key] = c.order.PushFront(e)
	for c.order.Len() > c.max {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.items, oldest.Value.(*cacheEntry).key)
	}
}

// len returns the number of entries, expired ones included.
func (c *cache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
