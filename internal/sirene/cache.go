package sirene

import (
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
)

// cacheSize bounds the number of identifiers a Client remembers.
const cacheSize = 10000

// cache is a bounded LRU of lookup results that expire after a fixed
// time, safe for concurrent use. It holds copies: callers may modify what
// they put and what they get.
type cache struct {
	max int
	lru *expirable.LRU[string, cacheEntry]
}

// cacheEntry is a found company, or a "not found" answer when company is
// nil.
type cacheEntry struct {
	company  *Company
	notFound string // message of the SIRENE_NOT_FOUND error
}

// newCache returns a cache of at most max entries, each kept for ttl.
// Expired entries are never returned; a background goroutine of the LRU
// removes them (one per cache, for the life of the process: caches belong
// to the Provider's clients, which live as long).
func newCache(max int, ttl time.Duration) *cache {
	return &cache{max: max, lru: expirable.NewLRU[string, cacheEntry](max, nil, ttl)}
}

// get returns a copy of the company cached under key or, when the cached
// answer is "not found", a nil company and the message of the error; ok is
// false when nothing valid is cached.
func (c *cache) get(key string) (co *Company, notFound string, ok bool) {
	e, ok := c.lru.Get(key)
	if !ok {
		return nil, "", false
	}
	if e.company == nil {
		return nil, e.notFound, true
	}
	return e.company.clone(), "", true
}

// putCompany caches a copy of co under key.
func (c *cache) putCompany(key string, co *Company) {
	c.lru.Add(key, cacheEntry{company: co.clone()})
}

// putNotFound caches a "not found" answer under key.
func (c *cache) putNotFound(key, message string) {
	c.lru.Add(key, cacheEntry{notFound: message})
}
