// Imported first by the cache tests: Apollo Client's development checks
// (the warnings about lost cache data and inexact fragment matching) are
// on only when __DEV__ is set before the library loads.
globalThis.__DEV__ = true;
