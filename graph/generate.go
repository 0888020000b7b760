// Package graph holds Carnet's GraphQL resolvers: thin adapters from the
// schema to internal/ packages and ent. gqlgen generates the rest.
package graph

//go:generate go run -C .. -mod=mod github.com/99designs/gqlgen generate
//go:generate go run -C .. -mod=mod ./cmd/schemaprint schema.graphql
