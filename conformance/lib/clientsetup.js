// Carnet's client caches: Apollo Client's InMemoryCache and urql's
// Graphcache, set up once for the whole schema. The files under gql/ are
// written by graphql-codegen (codegen.js); regenerate them when the
// schema changes.
import { InMemoryCache } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { cacheExchange } from '@urql/exchange-graphcache';
import { relayPagination } from '@urql/exchange-graphcache/extras';
import fragmentMatcher from './gql/possible-types.json' with { type: 'json' };
import introspection from './gql/introspection.json' with { type: 'json' };

// Node's implementations, e.g. { Node: ['Activity', …, 'User'] }.
export const { possibleTypes } = fragmentMatcher;

// The object types without an id: values (an address, a custom field's
// value, an audited change), results (a search hit, a SIRENE company, a
// graph, a print, a new token) and the pages of connections. They have no
// identity of their own: each is stored inside the object it hangs off.
export const embeddedTypes = [
  'Address', 'AuditChange', 'CreatedToken', 'CustomFieldValue', 'FiliationGraph',
  'PageInfo', 'PrintResult', 'SearchHit', 'SireneCompany',
  'ActivityConnection', 'ActivityEdge', 'AuditEventConnection', 'AuditEventEdge',
  'ContactConnection', 'ContactEdge', 'DocumentConnection', 'DocumentEdge',
  'DuplicateCandidate', 'DuplicateGroup', 'DuplicateGroupEdge', 'DuplicateGroupPage', 'DuplicateGroupPageInfo',
  'OpportunityConnection', 'OpportunityEdge', 'ThirdPartyConnection', 'ThirdPartyEdge',
];

// ---- Apollo Client ----

// A list of values is replaced by each response, its items merged with
// the items of the same key already read (a custom field's `key`, an
// audited change's `field`): a query selecting other fields keeps them.
function mergeByKey(key) {
  return {
    merge(existing = [], incoming, { readField, mergeObjects }) {
      return incoming.map((item) => {
        const k = readField(key, item);
        const old = k === undefined ? undefined : existing.find((e) => readField(key, e) === k);
        return old ? mergeObjects(old, item) : item;
      });
    },
  };
}

// node(id:) and nodes(ids:) read from the cache the objects already
// fetched by any query: a global ID is unique across types, so the object
// is the one of Node's types that the cache holds under this ID.
function cachedNode(id, { toReference, canRead }) {
  for (const __typename of possibleTypes.Node) {
    const ref = toReference({ __typename, id });
    if (canRead(ref)) return ref;
  }
  return undefined;
}

// A connection's pages are one list per set of other arguments (orderBy,
// where): fetchMore with `after` appends, with `before` prepends.
const pages = () => relayStylePagination(['orderBy', 'where']);

export function apolloCache() {
  return new InMemoryCache({
    possibleTypes,
    typePolicies: {
      Query: {
        fields: {
          node: { read: (existing, opts) => existing ?? cachedNode(opts.args.id, opts) },
          nodes: {
            read(existing, opts) {
              if (existing) return existing;
              const refs = opts.args.ids.map((id) => cachedNode(id, opts));
              return refs.every(Boolean) ? refs : undefined;
            },
          },
          thirdParties: pages(),
          contacts: pages(),
          opportunities: pages(),
          auditEvents: pages(),
        },
      },
      ThirdParty: {
        fields: { contacts: pages(), activities: pages(), documents: pages(), customFields: mergeByKey('key') },
      },
      Contact: {
        fields: { activities: pages(), documents: pages(), customFields: mergeByKey('key') },
      },
      Opportunity: { fields: { activities: pages() } },
      AuditEvent: { fields: { changes: mergeByKey('field') } },
      // Values without identity: a second query's fields are added to the
      // first's (an address read with { city } then { line1 postalCode }
      // has all three), never replace them.
      Address: { merge: true },
      SireneCompany: { merge: true },
      FiliationGraph: { merge: true },
    },
  });
}

// ---- urql Graphcache ----

const nodeTypes = introspection.__schema.types
  .find((t) => t.name === 'Node')
  .possibleTypes.map((t) => t.name);

export function urqlCacheExchange() {
  return cacheExchange({
    // Fragments on Node (and on its types under node(id:)) are matched
    // with the schema, never heuristically.
    schema: introspection,
    // Embedded: stored field by field under the object they hang off, so
    // that a second query's fields add to the first's.
    keys: Object.fromEntries(embeddedTypes.map((t) => [t, () => null])),
    resolvers: {
      Query: {
        node: (_, { id }, cache) => nodeTypes
          .map((__typename) => cache.keyOfEntity({ __typename, id }))
          .find((key) => cache.resolve(key, 'id') === id),
        thirdParties: relayPagination(),
        contacts: relayPagination(),
        opportunities: relayPagination(),
        auditEvents: relayPagination(),
      },
      ThirdParty: { contacts: relayPagination(), activities: relayPagination(), documents: relayPagination() },
      Contact: { activities: relayPagination(), documents: relayPagination() },
      Opportunity: { activities: relayPagination() },
    },
  });
}
