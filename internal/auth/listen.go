package auth

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/lib/pq"

	"carnet/internal/metrics"
)

// ListenerApplicationName is the application_name of the listening
// connection, so that an operator (or a test) finds it in
// pg_stat_activity; when the database URL names the application
// ("carnet-eu-1"), the listener is that name with "-auth-listener".
const ListenerApplicationName = "carnet-auth-listener"

// Listener heartbeat: how often the listening connection is pinged, and
// how long a ping may take before the connection counts as down (a
// half-open TCP connection delivers nothing and reports no error).
const (
	heartbeat        = 15 * time.Second
	heartbeatTimeout = 5 * time.Second
)

// Listen makes c listen to the PostgreSQL database of dbURL
// (LISTEN carnet_auth on a connection of its own, lib/pq's Listener,
// which reconnects by itself) until ctx ends. From this call on, c serves
// from its entries only while it listens; each time it starts listening
// again it empties itself. It returns at once: until the first LISTEN
// succeeds every token is looked up. Call it before c serves.
func (c *Cache) Listen(ctx context.Context, dbURL string, log *slog.Logger) error {
	if c == nil {
		return nil
	}
	dsn, err := listenerURL(dbURL)
	if err != nil {
		return err
	}
	c.mustListen = true
	s := &listenState{c: c, log: log, healthy: true}
	l := pq.NewListener(dsn, 10*time.Millisecond, 2*time.Second, s.event)
	go func() {
		// Blocks until a connection holds the LISTEN: only then may the
		// cache serve (the first Connected event comes before it).
		if err := l.Listen(Channel); err != nil {
			if ctx.Err() != nil {
				return // stopped before it listened
			}
			s.log.Error("auth cache: cannot listen; tokens are read on every request", "err", err.Error())
			return
		}
		// Not after run stopped (ctx ended): both update under s.mu.
		s.update(func(s *listenState) { s.subscribed = ctx.Err() == nil })
	}()
	go s.run(ctx, l)
	return nil
}

// listenerURL is dbURL with the listener's application_name.
func listenerURL(dbURL string) (string, error) {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "", fmt.Errorf("auth: listener URL: %w", err)
	}
	q := u.Query()
	name := ListenerApplicationName
	if app := q.Get("application_name"); app != "" {
		name = app + "-auth-listener"
	}
	q.Set("application_name", name)
	q.Del("binary_parameters") // the listener sends no parameters
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// listenState is whether the cache may serve: subscribed (the first
// LISTEN done), connected (lib/pq's Listener re-subscribes before it
// reports a reconnection) and answering pings.
type listenState struct {
	c   *Cache
	log *slog.Logger

	mu                             sync.Mutex
	subscribed, connected, healthy bool
}

// update changes the state, then lets the cache serve only when
// subscribed, connected and healthy. The cache is emptied at each
// change: entries made before a gap may miss notifications lost in it,
// and look-ups in flight across it are not kept.
func (s *listenState) update(change func(*listenState)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	change(s)
	if s.subscribed && s.connected && s.healthy {
		s.c.drop(Change{Kind: "all"})
		s.c.listening.Store(true)
		metrics.AuthCacheListening(true)
		return
	}
	if s.c.listening.Swap(false) {
		s.c.gaps.Add(1)
	}
	s.c.drop(Change{Kind: "all"})
	metrics.AuthCacheListening(false)
}

// event is pq.Listener's callback.
func (s *listenState) event(ev pq.ListenerEventType, err error) {
	metrics.AuthListenerEvent(ev.String())
	switch ev {
	case pq.ListenerEventConnected, pq.ListenerEventReconnected:
		s.log.Info("auth cache: listening for token changes", "event", ev.String())
		s.update(func(s *listenState) { s.connected = true })
	case pq.ListenerEventDisconnected, pq.ListenerEventConnectionAttemptFailed:
		s.log.Warn("auth cache: not listening, tokens are read on every request", "event", ev.String(), "err", fmt.Sprint(err))
		s.update(func(s *listenState) { s.connected = false })
	}
}

// run applies notifications and pings the connection until ctx ends.
func (s *listenState) run(ctx context.Context, l *pq.Listener) {
	defer l.Close()
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	pinged := make(chan error, 1)
	pinging := false
	var timeout <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			s.update(func(s *listenState) { s.subscribed = false })
			return
		case n, ok := <-l.Notify:
			if !ok {
				return
			}
			if n == nil { // reconnected: the event already emptied the cache
				continue
			}
			s.c.drop(parseChange(n.Extra))
		case <-tick.C:
			if pinging {
				continue
			}
			pinging = true
			timeout = time.After(heartbeatTimeout)
			go func() { pinged <- l.Ping() }()
		case err := <-pinged:
			pinging, timeout = false, nil
			// A failed ping means a connection being replaced: the
			// listener's events tell. A late answer ends a timeout.
			s.mu.Lock()
			healthy := s.healthy
			s.mu.Unlock()
			if err == nil && !healthy {
				s.log.Info("auth cache: the listening connection answers again")
				s.update(func(s *listenState) { s.healthy = true })
			}
		case <-timeout:
			timeout = nil
			s.log.Warn("auth cache: the listening connection does not answer; tokens are read on every request", "after", heartbeatTimeout.String())
			s.update(func(s *listenState) { s.healthy = false })
		}
	}
}
