package pageload

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"carnet/ent"
	"carnet/ent/thirdparty"
)

// WithContacts returns third party tp as it answers its field contacts
// (the one ctx resolves) without a statement of its own: tp itself when
// entgql loaded that connection with it (a page of third parties), else
// tp as re-read with every third party at the same place in the document
// that lacks it (a link's linked third party, say), with entgql's field
// collection of the field that gave them. That collection loads the
// nested connections of all of them at once (a window function per
// parent for first/last) and what the document asks below, through ent
// and its privacy rules, so the walk goes on below them. A third party
// the re-read does not return (hidden) is tp: its connection then queries
// on its own.
func WithContacts(ctx context.Context, tp *ent.ThirdParty) (*ent.ThirdParty, error) {
	alias := graphql.GetFieldContext(ctx).Field.Alias
	if _, err := tp.NamedContacts(alias); err == nil {
		return tp, nil
	}
	l, err := from(ctx)
	if err != nil {
		return nil, err
	}
	again, err := l.contacts.get(ctx, l, tp.ID, withoutContacts(alias))
	if err != nil || again == nil {
		return tp, err
	}
	return again, nil
}

// withoutContacts keys the third parties whose connection alias was not
// loaded with them.
func withoutContacts(alias string) func(any) (int, bool) {
	return func(o any) (int, bool) {
		tp, ok := o.(*ent.ThirdParty)
		if !ok || tp == nil {
			return 0, false
		}
		if _, err := tp.NamedContacts(alias); err == nil {
			return 0, false
		}
		return tp.ID, true
	}
}

// withCollectedFields re-reads third parties ids with the fields the
// document asks of them at the place ctx resolves a field of.
func withCollectedFields(ctx context.Context, client *ent.Client, ids []int) (map[int]*ent.ThirdParty, error) {
	q, err := client.ThirdParty.Query().Where(thirdparty.IDIn(ids...)).
		CollectFields(parentField(ctx), "ThirdParty", "Node")
	if err != nil {
		return nil, err
	}
	all, err := q.All(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[int]*ent.ThirdParty, len(all))
	for _, tp := range all {
		byID[tp.ID] = tp
	}
	return byID, nil
}

// parentField returns ctx as seen by the field that gave the object whose
// field ctx resolves (a copy of its context: WithFieldContext sets the
// copy's parent, not the original's).
func parentField(ctx context.Context) context.Context {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return ctx
	}
	for p := fc.Parent; p != nil; p = p.Parent {
		if p.Index == nil && p.Field.Field != nil {
			field := *p
			return graphql.WithFieldContext(ctx, &field)
		}
	}
	return ctx
}
