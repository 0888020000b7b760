package merge

// SetFault makes every merge fail with err after everything moved, until
// the returned function is called.
func SetFault(err error) (reset func()) {
	fault = func() error { return err }
	return func() { fault = nil }
}
