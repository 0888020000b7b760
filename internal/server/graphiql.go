package server

// GraphiQLMode says whether / serves GraphiQL.
type GraphiQLMode int

// The modes of GraphiQL.
const (
	// GraphiQLDefault serves GraphiQL in development, not in production.
	GraphiQLDefault GraphiQLMode = iota
	// GraphiQLOn serves it in production too.
	GraphiQLOn
	// GraphiQLOff never serves it.
	GraphiQLOff
)

func (m GraphiQLMode) on(production bool) bool {
	return m == GraphiQLOn || m == GraphiQLDefault && !production
}
