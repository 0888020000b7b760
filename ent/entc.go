//go:build ignore

// entc.go drives ent's code generation with the entgql extension: Relay
// nodes with global IDs, connections, where-inputs and order fields. It
// writes ent.graphql beside gqlgen.yml; gqlgen runs after it (see
// graph/generate.go). gqldoc.Hook describes what entgql leaves without a
// useful description (entity types, enum values, filters, connections).
// template/paginate.tmpl replaces the body of entgql's Paginate so that
// pageInfo no longer costs a COUNT over the whole list (see the
// template's comment and docs/DESIGN.md); template/driver.tmpl gives
// hooks the client's dialect and raw statements.
package main

import (
	"log"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"

	"carnet/ent/schema/gqldoc"
)

func main() {
	// paginate redefines entgql's "gql_pagination/helper/paginate"; ent
	// parses templates in order, so a later definition of a name wins.
	paginate := gen.MustParse(gen.NewTemplate("paginate").
		Funcs(entgql.TemplateFuncs).
		ParseFiles("template/paginate.tmpl"))
	// driver adds Dialect and ExecRaw to the generated config (hooks
	// that send pg_notify in the mutation's transaction).
	driver := gen.MustParse(gen.NewTemplate("driver").ParseFiles("template/driver.tmpl"))
	templates := append(append([]*gen.Template{}, entgql.AllTemplates...), paginate, driver)
	ex, err := entgql.NewExtension(
		// Before WithWhereInputs, which appends to the templates.
		entgql.WithTemplates(templates...),
		entgql.WithConfigPath("../gqlgen.yml"),
		entgql.WithSchemaGenerator(),
		entgql.WithSchemaPath("../graph/ent.graphql"),
		entgql.WithWhereInputs(true),
		entgql.WithNodeDescriptor(false),
		entgql.WithSchemaHook(gqldoc.Hook),
	)
	if err != nil {
		log.Fatalf("entc: creating entgql extension: %v", err)
	}
	err = entc.Generate("./schema", &gen.Config{
		Features: []gen.Feature{
			gen.FeaturePrivacy,
			gen.FeatureEntQL,
			gen.FeatureIntercept,
			gen.FeatureModifier,
			gen.FeatureGlobalID,
			gen.FeatureVersionedMigration,
			gen.FeatureUpsert,
			gen.FeatureLock,
			gen.FeatureNamedEdges,
		},
	}, entc.Extensions(ex))
	if err != nil {
		log.Fatalf("entc: running ent codegen: %v", err)
	}
}
