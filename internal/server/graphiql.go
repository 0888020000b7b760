package server

import "fmt"

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

// ParseGraphiQL reads a value of CARNET_GRAPHIQL: "on", "off", or empty
// for the default.
func ParseGraphiQL(s string) (GraphiQLMode, error) {
	switch s {
	case "":
		return GraphiQLDefault, nil
	case "on":
		return GraphiQLOn, nil
	case "off":
		return GraphiQLOff, nil
	}
	return 0, fmt.Errorf("CARNET_GRAPHIQL is %q: use on or off (unset: on in development, off in production)", s)
}

func (m GraphiQLMode) on(production bool) bool {
	return m == GraphiQLOn || m == GraphiQLDefault && !production
}
