// Package faults holds Carnet's fault tests, run against the real binary
// (built once per run) as a subprocess:
//
//   - PostgreSQL stopped (immediate shutdown) and started again under
//     load; restarted (fast, then immediate) under an idle pool; its
//     postmaster frozen (SIGSTOP) — on a throwaway PostgreSQL cluster of
//     the test's own;
//   - SIGTERM while a request is in flight: it completes, new connections
//     are refused, the process exits 0;
//   - two processes on one database: what one writes or configures, the
//     other serves at once; optimistic locking holds across them.
//
// They run when CARNET_TEST_POSTGRES_URL is set (the SIGTERM test also
// runs on SQLite without it). The package has no code of its own.
package faults
