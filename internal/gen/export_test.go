package gen

// ForceBulk makes every PostgreSQL load use bulk mode until restore is
// called.
func ForceBulk() (restore func()) {
	m, f := bulkMin, bulkFactor
	bulkMin, bulkFactor = 0, 1<<30
	return func() { bulkMin, bulkFactor = m, f }
}
