package schema

// Privacy rules and hooks: where tenant isolation and the coarse rights
// of each entity are declared. Operation-specific rights (validating a
// prospect, the integration path) are checked again by the internal/
// services that own those operations.

import (
	"context"

	entgo "entgo.io/ent"
	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/entql"

	"carnet/ent"
	"carnet/ent/activity"
	"carnet/ent/contact"
	"carnet/ent/document"
	"carnet/ent/export"
	"carnet/ent/hook"
	"carnet/ent/linktype"
	"carnet/ent/opportunity"
	"carnet/ent/organisation"
	"carnet/ent/predicate"
	"carnet/ent/privacy"
	"carnet/ent/schema/enum"
	"carnet/ent/searchentry"
	"carnet/ent/thirdparty"
	"carnet/ent/token"
	"carnet/internal/activities"
	"carnet/internal/audit"
	"carnet/internal/auth"
	"carnet/internal/documents"
	"carnet/internal/duplicates"
	"carnet/internal/filiation"
	"carnet/internal/links"
	"carnet/internal/rights"
	"carnet/internal/search"
	"carnet/internal/viewer"
)

// Policy of the TenantMixin: no viewer, no data; every query and every
// update or delete is narrowed to the viewer's organisation; a create for
// another organisation is denied. A system context (privacy.DecisionContext
// with Allow, used by the CLI and by token authentication) bypasses it.
func (TenantMixin) Policy() entgo.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{requireViewer(), filterTenant()},
		Mutation: privacy.MutationPolicy{requireViewer(), denyCreateInOtherTenant(), filterTenant()},
	}
}

// Hooks of the TenantMixin.
func (TenantMixin) Hooks() []entgo.Hook {
	return []entgo.Hook{hook.On(stampTenant, entgo.OpCreate)}
}

// requireViewer denies any operation without an authenticated viewer.
func requireViewer() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if viewer.FromContext(ctx) == nil {
			return privacy.Denyf("no viewer in context")
		}
		return privacy.Skip
	})
}

// filterTenant narrows queries, updates and deletes to the viewer's
// organisation.
func filterTenant() privacy.QueryMutationRule {
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		v := viewer.FromContext(ctx)
		f.Where(entql.IntEQ(v.OrgID).Field("organisation_id"))
		return privacy.Skip
	})
}

// denyCreateInOtherTenant refuses to create a row for an organisation
// other than the viewer's.
func denyCreateInOtherTenant() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		if !m.Op().Is(entgo.OpCreate) {
			return privacy.Skip
		}
		if org, set := m.Field("organisation_id"); set && org.(int) != viewer.FromContext(ctx).OrgID {
			return privacy.Denyf("create in another organisation")
		}
		return privacy.Skip
	})
}

// stampTenant sets the organisation of a new row to the viewer's.
func stampTenant(next entgo.Mutator) entgo.Mutator {
	return entgo.MutateFunc(func(ctx context.Context, m entgo.Mutation) (entgo.Value, error) {
		if _, set := m.Field("organisation_id"); !set {
			if v := viewer.FromContext(ctx); v != nil {
				if err := m.SetField("organisation_id", v.OrgID); err != nil {
					return nil, err
				}
			}
		}
		return next.Mutate(ctx, m)
	})
}

// requireAny allows the operation to go on to later rules only when the
// viewer holds one of rs.
func requireAny(rs ...rights.Right) privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		v := viewer.FromContext(ctx)
		for _, r := range rs {
			if v.Can(r) {
				return privacy.Skip
			}
		}
		return privacy.Denyf("missing right %d", rs[0])
	})
}

// requireAnyOn applies requireAny to the mutations of the given operations.
func requireAnyOn(op entgo.Op, rs ...rights.Right) privacy.MutationRule {
	rule := requireAny(rs...)
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		if !m.Op().Is(op) {
			return privacy.Skip
		}
		return rule.EvalMutation(ctx, m)
	})
}

// hideClosedClients hides closed clients from viewers without right
// 191516.
func hideClosedClients() privacy.QueryRule {
	return privacy.ThirdPartyQueryRuleFunc(func(ctx context.Context, q *ent.ThirdPartyQuery) error {
		if !viewer.FromContext(ctx).SeesClosedClients() {
			q.Where(thirdparty.Not(closedClient()))
		}
		return privacy.Skip
	})
}

// hideContactsOfClosedClients hides the contacts of closed clients from
// viewers without right 191516.
func hideContactsOfClosedClients() privacy.QueryRule {
	return privacy.ContactQueryRuleFunc(func(ctx context.Context, q *ent.ContactQuery) error {
		if !viewer.FromContext(ctx).SeesClosedClients() {
			q.Where(contact.HasThirdPartyWith(thirdparty.Not(closedClient())))
		}
		return privacy.Skip
	})
}

// closedClient matches closed clients.
func closedClient() predicate.ThirdParty {
	return thirdparty.And(thirdparty.KindEQ(enum.Client), thirdparty.StatusEQ(thirdparty.StatusCLOSED))
}

// bookkeeping are the fields whose change is not an edit of the record:
// the filiation network a link change renumbers, and the timestamps.
var bookkeeping = map[string]bool{"network_id": true, "updated_at": true}

// bumpVersion increments the version of every updated row, so that an
// update made on a stale version can be refused (optimistic locking).
func bumpVersion(next entgo.Mutator) entgo.Mutator {
	return entgo.MutateFunc(func(ctx context.Context, m entgo.Mutation) (entgo.Value, error) {
		edit := false
		for _, f := range append(m.Fields(), m.ClearedFields()...) {
			edit = edit || !bookkeeping[f]
		}
		if !edit {
			return next.Mutate(ctx, m)
		}
		if err := m.AddField("version", 1); err != nil {
			return nil, err
		}
		return next.Mutate(ctx, m)
	})
}

// Policy of the Organisation: a viewer sees and (as administrator)
// changes only their own organisation; organisations are created by the
// CLI (system context) only.
func (Organisation) Policy() entgo.Policy {
	ownOrg := privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		f.Where(entql.IntEQ(viewer.FromContext(ctx).OrgID).Field(organisation.FieldID))
		return privacy.Skip
	})
	return privacy.Policy{
		Query: privacy.QueryPolicy{requireViewer(), ownOrg},
		Mutation: privacy.MutationPolicy{
			requireViewer(),
			privacy.OnMutationOperation(privacy.AlwaysDenyRule(), entgo.OpCreate|entgo.OpDelete|entgo.OpDeleteOne),
			requireAny(rights.Administer),
			ownOrg,
		},
	}
}

// administration is the policy of the organisation's set-up entities:
// every viewer reads them, administrators change them.
func administration() entgo.Policy {
	return privacy.Policy{Mutation: privacy.MutationPolicy{requireAny(rights.Administer)}}
}

// Policy of the Company.
func (Company) Policy() entgo.Policy { return administration() }

// Policy of the User.
func (User) Policy() entgo.Policy { return administration() }

// Policy of the CustomFieldDefinition.
func (CustomFieldDefinition) Policy() entgo.Policy { return administration() }

// Policy of the Token: users see and manage their own tokens,
// administrators everyone's.
func (Token) Policy() entgo.Policy {
	own := privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		v := viewer.FromContext(ctx)
		if !v.Can(rights.Administer) {
			f.Where(entql.IntEQ(v.UserID).Field(token.FieldUserID))
		}
		return privacy.Skip
	})
	ownCreate := privacy.TokenMutationRuleFunc(func(ctx context.Context, m *ent.TokenMutation) error {
		v := viewer.FromContext(ctx)
		if uid, ok := m.UserID(); ok && m.Op().Is(entgo.OpCreate) && uid != v.UserID && !v.Can(rights.Administer) {
			return privacy.Denyf("token for another user")
		}
		return privacy.Skip
	})
	return privacy.Policy{
		Query:    privacy.QueryPolicy{own},
		Mutation: privacy.MutationPolicy{ownCreate, own},
	}
}

// Policy of the Export: its requester sees and changes it, the
// organisation's administrators see and delete everyone's (the download
// follows the same rule: internal/exports.Download).
func (Export) Policy() entgo.Policy {
	own := privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		v := viewer.FromContext(ctx)
		if !v.Can(rights.Administer) {
			f.Where(entql.IntEQ(v.UserID).Field(export.FieldAuthorID))
		}
		return privacy.Skip
	})
	ownCreate := privacy.ExportMutationRuleFunc(func(ctx context.Context, m *ent.ExportMutation) error {
		if uid, ok := m.AuthorID(); ok && m.Op().Is(entgo.OpCreate) && uid != viewer.FromContext(ctx).UserID {
			return privacy.Denyf("export for another user")
		}
		return privacy.Skip
	})
	return privacy.Policy{
		Query:    privacy.QueryPolicy{own},
		Mutation: privacy.MutationPolicy{ownCreate, own},
	}
}

// Policy of the ThirdParty.
func (ThirdParty) Policy() entgo.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			requireAny(rights.ReadAddressBook, rights.Integrate),
			hideClosedClients(),
		},
		Mutation: privacy.MutationPolicy{
			requireAnyOn(entgo.OpDelete|entgo.OpDeleteOne, rights.DeleteRecords),
			requireAnyOn(entgo.OpCreate|entgo.OpUpdate|entgo.OpUpdateOne,
				rights.WriteAddressBook, rights.Integrate, rights.ValidateProspect, rights.Administer),
		},
	}
}

// Hooks of the ThirdParty: versions, and the search index kept in step
// in the same transaction.
func (ThirdParty) Hooks() []entgo.Hook {
	return []entgo.Hook{hook.On(bumpVersion, entgo.OpUpdate|entgo.OpUpdateOne), duplicates.NameKeyHook, search.ThirdPartyHook, audit.ThirdParties}
}

// Policy of the Contact.
func (Contact) Policy() entgo.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			requireAny(rights.ReadAddressBook, rights.Integrate),
			hideContactsOfClosedClients(),
		},
		Mutation: privacy.MutationPolicy{
			requireAnyOn(entgo.OpDelete|entgo.OpDeleteOne, rights.DeleteRecords),
			requireAnyOn(entgo.OpCreate|entgo.OpUpdate|entgo.OpUpdateOne, rights.WriteAddressBook, rights.Integrate),
		},
	}
}

// Hooks of the Contact.
func (Contact) Hooks() []entgo.Hook {
	return []entgo.Hook{hook.On(bumpVersion, entgo.OpUpdate|entgo.OpUpdateOne), search.ContactHook, audit.Contacts}
}

// Policy of the SearchEntry: read like the records it indexes (closed
// clients' entries need 191516); written only by the index hooks, which
// run as the system.
func (SearchEntry) Policy() entgo.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			requireAny(rights.ReadAddressBook, rights.Integrate),
			privacy.SearchEntryQueryRuleFunc(func(ctx context.Context, q *ent.SearchEntryQuery) error {
				if !viewer.FromContext(ctx).SeesClosedClients() {
					q.Where(searchentry.Closed(false))
				}
				return privacy.Skip
			}),
		},
		Mutation: privacy.MutationPolicy{privacy.AlwaysDenyRule()},
	}
}

// Policy of the LinkType: every viewer reads the organisation's types,
// administrators define them.
func (LinkType) Policy() entgo.Policy { return administration() }

// linkRule is the read rule of the links of category: shown when the
// feature is on and the viewer may open the links tab of at least one of
// the two records (links.TabKinds), neither of them a closed client
// hidden from the viewer. Correlated EXISTS on the link's two columns
// (one primary-key probe each per row), not HasThirdPartyWith (an IN over
// every third party of the organisation).
func linkRule(v *viewer.Viewer, on bool, category linktype.Category) func(*sql.Selector) {
	kinds := links.TabKinds(v, category)
	if !on || len(kinds) == 0 {
		return func(s *sql.Selector) { s.Where(sql.False()) }
	}
	every := len(kinds) == 4 || category == linktype.CategoryMANAGEMENT && len(kinds) == 2
	seesClosed := v.SeesClosedClients()
	return func(s *sql.Selector) {
		a, b := s.C("third_party_id"), s.C("linked_third_party_id")
		// One Where each: the selector nests them (a lone sql.And would
		// leave the OR unbracketed).
		if !seesClosed {
			s.Where(openThirdPartyAt(a))
			s.Where(openThirdPartyAt(b))
		}
		if !every {
			s.Where(sql.Or(thirdPartyOfKindAt(a, kinds), thirdPartyOfKindAt(b, kinds)))
		}
	}
}

// thirdPartyOfKindAt holds when the third party whose ID is in column col
// is of one of kinds.
func thirdPartyOfKindAt(col string, kinds []enum.ThirdPartyKind) *sql.Predicate {
	t := sql.Table(thirdparty.Table).As("tab_third_party")
	vals := make([]any, len(kinds))
	for i, k := range kinds {
		vals[i] = string(k)
	}
	return sql.Exists(sql.Select(t.C(thirdparty.FieldID)).From(t).Where(sql.And(
		sql.ColumnsEQ(t.C(thirdparty.FieldID), col),
		sql.In(t.C(thirdparty.FieldKind), vals...),
	)))
}

// Policy of the ManagementLink: read by linkRule (191517 opens a client's
// tab, 191519 a prospect's); changed with 191518/191520 (which record's
// right applies is checked by internal/links).
func (ManagementLink) Policy() entgo.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			privacy.ManagementLinkQueryRuleFunc(func(ctx context.Context, q *ent.ManagementLinkQuery) error {
				v := viewer.FromContext(ctx)
				q.Where(linkRule(v, v.ManagementLinks, linktype.CategoryMANAGEMENT))
				return privacy.Skip
			}),
		},
		Mutation: privacy.MutationPolicy{requireAny(rights.WriteClientMgmtLinks, rights.WriteProspectMgmtLinks)},
	}
}

// Hooks of the FiliationLink: the relation key, the network of each third
// party.
func (FiliationLink) Hooks() []entgo.Hook {
	return []entgo.Hook{filiation.RelationHook, filiation.NetworkHook, audit.FiliationLinks}
}

// Policy of the FiliationLink: read by linkRule (191521 opens a client's
// tab, 191523 a prospect's, the right to read the address book a
// supplier's or an other third party's); changed with 191522/191524.
func (FiliationLink) Policy() entgo.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			privacy.FiliationLinkQueryRuleFunc(func(ctx context.Context, q *ent.FiliationLinkQuery) error {
				v := viewer.FromContext(ctx)
				q.Where(linkRule(v, v.FiliationLinks, linktype.CategoryFILIATION))
				return privacy.Skip
			}),
		},
		Mutation: privacy.MutationPolicy{requireAny(rights.WriteClientFiliation, rights.WriteProspectFiliation)},
	}
}

// openThirdPartyAt holds when the third party whose ID is in column col
// of the row is not a closed client: a correlated EXISTS, one primary-key
// probe per row. (ent's HasThirdPartyWith is an IN over every open third
// party of the database, which PostgreSQL hashes for each query: 220 ms
// for a record's activities at a million third parties.)
func openThirdPartyAt(col string) *sql.Predicate {
	t := sql.Table(thirdparty.Table).As("open_third_party")
	return sql.Exists(sql.Select(t.C(thirdparty.FieldID)).From(t).Where(sql.And(
		sql.ColumnsEQ(t.C(thirdparty.FieldID), col),
		notClosedClient(t),
	)))
}

// openThirdPartyThrough holds when the row of table (contacts,
// opportunities) whose ID is in column col belongs to a third party that
// is not a closed client.
func openThirdPartyThrough(table, col string) *sql.Predicate {
	x := sql.Table(table).As("via_" + table)
	t := sql.Table(thirdparty.Table).As("open_third_party")
	return sql.Exists(sql.Select(x.C("id")).From(x).
		Join(t).On(t.C(thirdparty.FieldID), x.C("third_party_id")).
		Where(sql.And(sql.ColumnsEQ(x.C("id"), col), notClosedClient(t))))
}

// notClosedClient is closedClient negated, on table t.
func notClosedClient(t *sql.SelectTable) *sql.Predicate {
	return sql.Not(sql.And(
		sql.EQ(t.C(thirdparty.FieldKind), string(enum.Client)),
		sql.EQ(t.C(thirdparty.FieldStatus), thirdparty.StatusCLOSED.String()),
	))
}

// Policy of the Activity: read like the third party it concerns (a
// closed client's need 191516: one probe of its row); written with
// 100002. Cascading deletes run as the system.
func (Activity) Policy() entgo.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			requireAny(rights.ReadAddressBook, rights.Integrate),
			privacy.ActivityQueryRuleFunc(func(ctx context.Context, q *ent.ActivityQuery) error {
				v := viewer.FromContext(ctx)
				if !v.SeesClosedClients() {
					q.Where(func(s *sql.Selector) {
						s.Where(openThirdPartyAt(s.C(activity.ThirdPartyColumn)))
					})
				}
				return privacy.Skip
			}),
		},
		Mutation: privacy.MutationPolicy{requireAny(rights.WriteAddressBook)},
	}
}

// Policy of the Document: read like the record it hangs on; uploaded and
// deleted with 100004.
func (Document) Policy() entgo.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			requireAny(rights.ReadAddressBook, rights.Integrate),
			privacy.DocumentQueryRuleFunc(func(ctx context.Context, q *ent.DocumentQuery) error {
				v := viewer.FromContext(ctx)
				if !v.SeesClosedClients() {
					q.Where(func(s *sql.Selector) {
						s.Where(sql.Or(
							openThirdPartyAt(s.C(document.ThirdPartyColumn)),
							openThirdPartyThrough(contact.Table, s.C(document.ContactColumn)),
						))
					})
				}
				return privacy.Skip
			}),
		},
		Mutation: privacy.MutationPolicy{requireAny(rights.ManageDocuments)},
	}
}

// Policy of the Opportunity: read like its third party (openThirdPartyAt); written with
// 100002, deleted with 100003.
func (Opportunity) Policy() entgo.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			requireAny(rights.ReadAddressBook, rights.Integrate),
			privacy.OpportunityQueryRuleFunc(func(ctx context.Context, q *ent.OpportunityQuery) error {
				v := viewer.FromContext(ctx)
				if !v.SeesClosedClients() {
					q.Where(func(s *sql.Selector) { s.Where(openThirdPartyAt(s.C(opportunity.ThirdPartyColumn))) })
				}
				return privacy.Skip
			}),
		},
		Mutation: privacy.MutationPolicy{
			requireAnyOn(entgo.OpDelete|entgo.OpDeleteOne, rights.DeleteRecords),
			requireAnyOn(entgo.OpCreate|entgo.OpUpdate|entgo.OpUpdateOne, rights.WriteAddressBook),
		},
	}
}

// Hooks of the Document: a deleted document's file goes when the
// deletion commits.
func (Document) Hooks() []entgo.Hook { return []entgo.Hook{documents.DeleteHook, audit.Documents} }

// Policy of the PrintTemplate: every viewer reads the organisation's
// templates, administrators define them.
func (PrintTemplate) Policy() entgo.Policy { return administration() }

// Policy of the SearchWord: read by whoever searches; written only by the
// index hooks, as the system.
func (SearchWord) Policy() entgo.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{requireAny(rights.ReadAddressBook, rights.Integrate)},
		Mutation: privacy.MutationPolicy{privacy.AlwaysDenyRule()},
	}
}

// Policy of the AuditEvent: administrators read the trail, but the events
// of a closed client and of what hangs on it (contacts, activities,
// documents, opportunities, links) only with 191516, as everywhere: the
// event carries its third parties' IDs (written by the audit hook), so
// the rule is a correlated NOT EXISTS, one primary-key probe each. Events
// of a deleted third party stay readable (nothing says it is closed any
// more). Events are written only by the audit hooks, as the system, and
// never changed.
func (AuditEvent) Policy() entgo.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			requireAny(rights.Administer),
			privacy.AuditEventQueryRuleFunc(func(ctx context.Context, q *ent.AuditEventQuery) error {
				if !viewer.FromContext(ctx).SeesClosedClients() {
					q.Where(func(s *sql.Selector) {
						s.Where(sql.And(
							notClosedClientAt(s.C("third_party_id")),
							notClosedClientAt(s.C("linked_third_party_id")),
						))
					})
				}
				return privacy.Skip
			}),
		},
		Mutation: privacy.MutationPolicy{privacy.AlwaysDenyRule()},
	}
}

// notClosedClientAt holds unless the third party whose ID is in column
// col (NULL: none) exists and is a closed client: a correlated NOT
// EXISTS, one primary-key probe per row.
func notClosedClientAt(col string) *sql.Predicate {
	t := sql.Table(thirdparty.Table).As("closed_third_party")
	return sql.Not(sql.Exists(sql.Select(t.C(thirdparty.FieldID)).From(t).Where(sql.And(
		sql.ColumnsEQ(t.C(thirdparty.FieldID), col),
		sql.EQ(t.C(thirdparty.FieldKind), string(enum.Client)),
		sql.EQ(t.C(thirdparty.FieldStatus), thirdparty.StatusCLOSED.String()),
	))))
}

// Hooks of the ManagementLink: the audit trail.
func (ManagementLink) Hooks() []entgo.Hook { return []entgo.Hook{audit.ManagementLinks} }

// Hooks of the Activity: the order of the lists, the audit trail.
func (Activity) Hooks() []entgo.Hook {
	return []entgo.Hook{activities.ListedAtHook, audit.Activities}
}

// Hooks of the Opportunity: the audit trail.
func (Opportunity) Hooks() []entgo.Hook { return []entgo.Hook{audit.Opportunities} }

// Hooks of the User: the audit trail.
func (User) Hooks() []entgo.Hook { return []entgo.Hook{audit.Users, auth.InvalidateHook} }

// Hooks of the Token: the audit trail (never the token's hash).
func (Token) Hooks() []entgo.Hook { return []entgo.Hook{audit.Tokens, auth.InvalidateHook} }

// Hooks of the Organisation: viewers carry its feature flags and
// language, so cached ones go stale. (A viewer holds its user's company
// ID, a user field: companies need no hook.)
func (Organisation) Hooks() []entgo.Hook { return []entgo.Hook{auth.InvalidateHook} }

// Hooks of the LinkType: the audit trail.
func (LinkType) Hooks() []entgo.Hook { return []entgo.Hook{audit.LinkTypes} }

// Hooks of the CustomFieldDefinition: the audit trail.
func (CustomFieldDefinition) Hooks() []entgo.Hook { return []entgo.Hook{audit.CustomFieldDefinitions} }

// Hooks of the PrintTemplate: the audit trail.
func (PrintTemplate) Hooks() []entgo.Hook { return []entgo.Hook{audit.PrintTemplates} }
