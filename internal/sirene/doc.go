// Package sirene is Carnet's client of INSEE's API Sirene 3.11, the French
// register of companies (SIREN, 9 digits) and of their establishments
// (SIRET, 14 digits). [Client.Lookup] turns an identifier into a [Company]
// as Carnet stores it.
//
// # Requests
//
// A SIRET is fetched with GET {base}/siret/{siret}, a SIREN with
// GET {base}/siren/{siren}, authenticated by the header
// X-INSEE-Api-Key-Integration and sent with Accept: application/json.
// Identifiers are checked (length and checksum, through package validate)
// before anything is sent: a wrong number never costs a request of the
// quota. Redirects are never followed: a 301 means the unit was merged into
// another number and is reported as not found.
//
// # Errors
//
// Only the HTTP status decides, never the message of the answer's header:
// 404 and 301 give SIRENE_NOT_FOUND, 403 (unit not public) FORBIDDEN, 400
// BAD_USER_INPUT, 429 once retries are spent RATE_LIMITED; a refused key
// (401), time-outs, network errors, 5xx once retries are spent, unreadable
// answers and any other status give SIRENE_UNAVAILABLE. Messages are short
// English sentences without URL, key or Go error text.
//
// # Time-outs and retries
//
// Each HTTP call is bounded by Config.CallTimeout (5 s at most) and a whole
// lookup, retries and waits included, by Config.TotalTimeout (12 s by
// default). A 429, a 5xx, a network error or a call time-out is retried up
// to Config.MaxRetries times, after an exponential backoff with jitter; a
// 429's Retry-After (seconds or HTTP date) is honoured when longer. A retry
// whose wait would end past the total deadline is not attempted: the lookup
// fails at once with the last error instead of sleeping in vain.
//
// # Rate limit
//
// The public plan allows 30 requests per minute per key. A token bucket
// shared by every Client of the process (30 per minute, burst of 5 by
// default, see [SetRateLimit]) is taken before each HTTP call, retries
// included. A call that could not start before the lookup's deadline is
// not queued: the lookup fails with RATE_LIMITED.
//
// # Cache
//
// Found companies and "not found" answers (404, 301) are kept per
// identifier for Config.CacheTTL (24 h by default) in a bounded in-memory
// LRU of 10,000 entries per Client; other failures are never cached.
// Callers get copies and may modify them.
//
// # Partly public units
//
// Units whose diffusion is partial answer 200 with masked values set to the
// literal string "[ND]". Such values are decoded as absent, like null or
// missing keys (masquerValeursNulles), so "[ND]" never reaches a record:
// the name, address line or code simply falls back or stays empty.
package sirene
