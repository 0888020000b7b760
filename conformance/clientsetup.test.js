// The client set-up of docs/frontend.md ("Apollo Client and urql
// set-up"), tested as the documentation shows it: lib/clientsetup.js and
// codegen.js are the code the guide quotes. Apollo Client's InMemoryCache
// and urql's Graphcache keep an address's fields across two queries,
// read node(id:) from the cache through Node's possible types, and merge
// two pages of a connection, without a warning; graphql-codegen types
// every custom scalar and writes the possible types the set-up imports.
// On SQLite and, when CARNET_TEST_POSTGRES_URL is set, on PostgreSQL.
import './lib/apollodev.js';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { format } from 'node:util';
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { loadDevMessages, loadErrorMessages } from '@apollo/client/dev';
import { Client, fetchExchange } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { generate } from '@graphql-codegen/cli';
import { Kind, buildSchema, print, isObjectType, isScalarType, parse, specifiedScalarTypes } from 'graphql';
import { binary, repoRoot, start } from './lib/server.js';
import { sameAsBlocks } from './lib/docs.js';
import { apolloCache, embeddedTypes, possibleTypes, urqlCacheExchange } from './lib/clientsetup.js';
import codegenConfig, { scalars } from './codegen.js';

loadDevMessages();
loadErrorMessages();

const backends = ['sqlite'];
if (process.env.CARNET_TEST_POSTGRES_URL) backends.push('postgres');

const here = join(repoRoot, 'conformance');
const schemaSDL = await readFile(join(repoRoot, 'schema.graphql'), 'utf8');
const schema = buildSchema(schemaSDL);

// The operations of lib/operations.graphql, one document each with the
// fragments it uses.
const operationsDoc = parse(await readFile(join(here, 'lib', 'operations.graphql'), 'utf8'));
const fragments = operationsDoc.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
const op = (name) => {
  const o = operationsDoc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION && d.name.value === name);
  assert.ok(o, `no operation ${name} in lib/operations.graphql`);
  const used = fragments.filter((f) => print(o).includes(`...${f.name.value}`));
  return { kind: Kind.DOCUMENT, definitions: [o, ...used] };
};

// Every console.warn and console.error while a test runs: both libraries
// report their cache problems there.
let warnings = [];
const everWarned = []; // since the process started
const saved = { warn: console.warn, error: console.error };
beforeEach(() => {
  warnings = [];
  console.warn = (...a) => { warnings.push(format(...a)); everWarned.push(format(...a)); };
  console.error = (...a) => { warnings.push(format(...a)); everWarned.push(format(...a)); };
});
afterEach(() => Object.assign(console, saved));

// countingFetch is fetch that counts the requests it sends.
function countingFetch() {
  const f = (input, init) => { f.count++; return fetch(input, init); };
  f.count = 0;
  return f;
}

describe('the documentation shows the tested set-up', () => {
  test('every block marked conformance:same-as is its file, and the set-up files are shown', async () => {
    const text = await readFile(join(repoRoot, 'docs', 'frontend.md'), 'utf8');
    const blocks = sameAsBlocks(text);
    for (const b of blocks) {
      const file = await readFile(join(repoRoot, b.path), 'utf8');
      // (codegen ends its JSON files without a newline.)
      assert.equal(b.source, file.endsWith('\n') ? file : file + '\n', `docs/frontend.md:${b.line} differs from ${b.path}`);
    }
    assert.deepEqual(
      blocks.map((b) => b.path).sort(),
      ['conformance/codegen.js', 'conformance/lib/clientsetup.js', 'conformance/lib/gql/possible-types.json'],
    );
  });

  test('the embedded types are exactly the object types without an id', () => {
    const roots = new Set([schema.getQueryType(), schema.getMutationType()].map((t) => t.name));
    const idless = Object.values(schema.getTypeMap())
      .filter((t) => isObjectType(t) && !t.name.startsWith('__') && !roots.has(t.name) && !t.getFields().id)
      .map((t) => t.name);
    assert.deepEqual([...embeddedTypes].sort(), idless.sort());
  });
});

describe('graphql-codegen with the documented configuration', () => {
  let outputs;
  before(async () => {
    const cwd = process.cwd();
    process.chdir(here);
    try {
      outputs = Object.fromEntries((await generate({ ...codegenConfig, silent: true }, false)).map((o) => [o.filename, o.content]));
    } finally {
      process.chdir(cwd);
    }
  });

  test('every custom scalar of the schema has a type, never any or unknown', () => {
    const custom = Object.values(schema.getTypeMap())
      .filter((t) => isScalarType(t) && !specifiedScalarTypes.some((s) => s.name === t.name))
      .map((t) => t.name);
    assert.deepEqual(Object.keys(scalars).sort(), custom.sort());
    const types = outputs['lib/gql/types.ts'];
    for (const name of custom) {
      const m = new RegExp(`^\\s*${name}: \\{ input: ([^;]+); output: ([^;]+); \\}`, 'm').exec(types);
      assert.ok(m, `no Scalars entry for ${name}`);
      for (const t of [m[1], m[2]]) assert.ok(!/\b(any|unknown)\b/.test(t), `${name} is typed ${t}`);
    }
    // The operations use them: a Date field is a string, a Time field too.
    assert.match(types, /export type SigningDatesQuery = .*expectedSigningDate: string \| null/);
    assert.match(types, /export type ThirdPartiesPageQuery = .*cursor: string.*updatedAt: string/);
    assert.match(types, /export type AttachDocumentMutationVariables = Exact<\{[^}]*\bfile: File \| Blob;/);
  });

  test('strictScalars: a custom scalar left out of the mapping fails the generation', async () => {
    const { Time, ...rest } = scalars;
    const cwd = process.cwd();
    process.chdir(here);
    try {
      const types = codegenConfig.generates['lib/gql/types.ts'];
      await assert.rejects(generate({
        ...codegenConfig,
        silent: true,
        generates: { 'lib/gql/types.ts': { ...types, config: { ...types.config, scalars: rest } } },
      }, false), /Time/);
    } finally {
      process.chdir(cwd);
    }
  });

  test('the possible types and the introspection the set-up imports are codegen\'s output', async () => {
    for (const f of ['lib/gql/possible-types.json', 'lib/gql/introspection.json']) {
      assert.equal(await readFile(join(here, f), 'utf8'), outputs[f], `${f} is stale: run npx graphql-codegen --config codegen.js`);
    }
    const nodes = Object.values(schema.getTypeMap())
      .filter((t) => isObjectType(t) && t.getInterfaces().some((i) => i.name === 'Node'))
      .map((t) => t.name);
    assert.deepEqual(possibleTypes, { Node: nodes.sort() });
  });
});

for (const backend of backends) {
  describe(`client caches, carnet on ${backend}`, () => {
    let srv;
    let headers;
    let party; // a third party with an address: { id, city, line1, postalCode }

    before(async () => {
      srv = await start(await binary(), backend);
      headers = { authorization: `Bearer ${srv.tokens['admin@demo.carnet.example']}` };
      const r = await fetch(srv.graphql, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ thirdParties(first: 50, orderBy: {field: NAME, direction: ASC}) { edges { node { id address { city line1 postalCode } } } } }' }),
      }).then((res) => res.json());
      const n = r.data.thirdParties.edges.map((e) => e.node).find((p) => p.address?.city && p.address?.line1 && p.address?.postalCode);
      assert.ok(n, 'no demo third party with a full address');
      party = { id: n.id, ...n.address };
    });
    after(async () => {
      await srv?.stop();
    });

    const apollo = (cache, f = fetch) => new ApolloClient({ link: new HttpLink({ uri: srv.graphql, headers, fetch: f }), cache });
    const urql = (f = fetch) => new Client({
      url: srv.graphql,
      fetch: f,
      fetchOptions: () => ({ headers }),
      exchanges: [urqlCacheExchange(), fetchExchange],
    });

    describe('Apollo Client', () => {
      test('without the set-up, a second query on the address loses city (the problem)', async () => {
        const a = apollo(new InMemoryCache());
        await a.query({ query: op('ThirdPartyCity'), variables: { id: party.id } });
        await a.query({ query: op('ThirdPartyStreet'), variables: { id: party.id } });
        assert.equal(a.cache.readQuery({ query: op('ThirdPartyCity'), variables: { id: party.id } }), null);
        // (Apollo warns once per field and process: on the first backend.)
        assert.ok(everWarned.some((w) => w.includes('Cache data may be lost when replacing the address field of a ThirdParty object')), warnings.join('\n'));
      });

      test('the address keeps city after a query of line1 and postalCode', async () => {
        const f = countingFetch();
        const a = apollo(apolloCache(), f);
        await a.query({ query: op('ThirdPartyCity'), variables: { id: party.id } });
        const street = await a.query({ query: op('ThirdPartyStreet'), variables: { id: party.id } });
        assert.deepEqual(street.data.node.address, { __typename: 'Address', line1: party.line1, postalCode: party.postalCode });
        const city = await a.query({ query: op('ThirdPartyCity'), variables: { id: party.id }, fetchPolicy: 'cache-only' });
        assert.equal(city.data.node.address.city, party.city);
        assert.equal(f.count, 2);
        assert.deepEqual(warnings, []);
      });

      test('custom field values keep their label after a query of their value', async () => {
        const a = apollo(apolloCache());
        const labels = await a.query({ query: op('ThirdPartyFieldLabels'), variables: { id: party.id } });
        assert.ok(labels.data.node.customFields.length > 0, 'the demo defines custom fields');
        await a.query({ query: op('ThirdPartyFieldValues'), variables: { id: party.id } });
        const again = a.cache.readQuery({ query: op('ThirdPartyFieldLabels'), variables: { id: party.id } });
        assert.deepEqual(again.node.customFields, labels.data.node.customFields);
        assert.deepEqual(warnings, []);
      });

      test('node(id:) is read from the cache, its fragments on Node and ThirdParty matched by possibleTypes', async () => {
        const f = countingFetch();
        const a = apollo(apolloCache(), f);
        const page = await a.query({ query: op('ThirdPartiesPage'), variables: { first: 50 } });
        const cached = page.data.thirdParties.edges.find((e) => e.node.id === party.id);
        assert.ok(cached, 'the third party is on the first page');
        const r = await a.query({ query: op('ThirdPartyNode'), variables: { id: party.id }, fetchPolicy: 'cache-only' });
        assert.deepEqual(r.data.node, { __typename: 'ThirdParty', id: party.id, name: cached.node.name, address: { __typename: 'Address', city: party.city } });
        assert.equal(f.count, 1);
        assert.deepEqual(warnings, []);
      });

      test('nodes(ids:) is read from the cache when it holds every ID, else asked', async () => {
        const f = countingFetch();
        const a = apollo(apolloCache(), f);
        const page = await a.query({ query: op('ThirdPartiesPage'), variables: { first: 3 } });
        const ids = page.data.thirdParties.edges.map((e) => e.node.id);
        const r = await a.query({ query: op('ThirdPartyNames'), variables: { ids }, fetchPolicy: 'cache-only' });
        assert.deepEqual(r.data.nodes.map((n) => n.id), ids);
        assert.equal(f.count, 1);
        const more = await a.query({ query: op('ThirdPartyNames'), variables: { ids: [...ids, party.id] } });
        assert.deepEqual(more.data.nodes.map((n) => n.id), [...ids, party.id]);
        assert.equal(f.count, ids.includes(party.id) ? 1 : 2);
        assert.deepEqual(warnings, []);
      });

      test('relayStylePagination: two pages make one list', async () => {
        const a = apollo(apolloCache());
        const first = await a.query({ query: op('ThirdPartiesPage'), variables: { first: 3 } });
        const { endCursor } = first.data.thirdParties.pageInfo;
        // The next page as fetchMore reads it: from the network (a
        // cache-first query would read the merged list back).
        await a.query({ query: op('ThirdPartiesPage'), variables: { first: 3, after: endCursor }, fetchPolicy: 'network-only' });
        const merged = a.cache.readQuery({ query: op('ThirdPartiesPage'), variables: { first: 3 } });
        const six = await apollo(new InMemoryCache()).query({ query: op('ThirdPartiesPage'), variables: { first: 6 } });
        assert.deepEqual(merged.thirdParties.edges.map((e) => e.node.id), six.data.thirdParties.edges.map((e) => e.node.id));
        assert.equal(merged.thirdParties.totalCount, six.data.thirdParties.totalCount);
        assert.deepEqual(warnings, []);
      });
    });

    describe('urql Graphcache', () => {
      test('without the keys, Graphcache warns of each id-less type (the problem)', async () => {
        const u = new Client({
          url: srv.graphql,
          fetchOptions: () => ({ headers }),
          exchanges: [cacheExchange(), fetchExchange],
        });
        assert.ifError((await u.query(op('ThirdPartyCity'), { id: party.id }).toPromise()).error);
        assert.ok(warnings.some((w) => w.includes('Invalid key') && w.includes('Address')), warnings.join('\n'));
      });

      test('the address keeps city after a query of line1 and postalCode, with no key warning', async () => {
        const f = countingFetch();
        const u = urql(f);
        const vars = { id: party.id };
        assert.ifError((await u.query(op('ThirdPartyCity'), vars).toPromise()).error);
        const street = await u.query(op('ThirdPartyStreet'), vars).toPromise();
        assert.equal(street.data.node.address.line1, party.line1);
        const city = await u.query(op('ThirdPartyCity'), vars, { requestPolicy: 'cache-only' }).toPromise();
        assert.equal(city.data?.node.address.city, party.city);
        assert.equal(f.count, 2);
        assert.deepEqual(warnings, []);
      });

      test('custom field values keep their label after a query of their value', async () => {
        const u = urql();
        const vars = { id: party.id };
        const labels = await u.query(op('ThirdPartyFieldLabels'), vars).toPromise();
        assert.ok(labels.data.node.customFields.length > 0, 'the demo defines custom fields');
        assert.ifError((await u.query(op('ThirdPartyFieldValues'), vars).toPromise()).error);
        const again = await u.query(op('ThirdPartyFieldLabels'), vars, { requestPolicy: 'cache-only' }).toPromise();
        assert.deepEqual(again.data?.node.customFields, labels.data.node.customFields);
        assert.deepEqual(warnings, []);
      });

      test('node(id:) is read from the cache after a page that held it, fragments matched with the schema', async () => {
        const f = countingFetch();
        const u = urql(f);
        const page = await u.query(op('ThirdPartiesPage'), { first: 50 }).toPromise();
        assert.ifError(page.error);
        const cached = page.data.thirdParties.edges.find((e) => e.node.id === party.id);
        assert.ok(cached, 'the third party is on the first page');
        const r = await u.query(op('ThirdPartyNode'), { id: party.id }, { requestPolicy: 'cache-only' }).toPromise();
        // (Graphcache's results leave out the __typename fields the query
        // did not select.)
        assert.deepEqual(r.data?.node, { id: party.id, name: cached.node.name, address: { city: party.city } });
        assert.equal(f.count, 1);
        assert.deepEqual(warnings, []);
      });

      test('relayPagination: two pages make one list', async () => {
        const u = urql();
        const first = await u.query(op('ThirdPartiesPage'), { first: 3 }).toPromise();
        const second = await u.query(op('ThirdPartiesPage'), { first: 3, after: first.data.thirdParties.pageInfo.endCursor }).toPromise();
        const six = await u.query(op('ThirdPartiesPage'), { first: 6 }, { requestPolicy: 'network-only' }).toPromise();
        assert.deepEqual(second.data.thirdParties.edges.map((e) => e.node.id), six.data.thirdParties.edges.map((e) => e.node.id));
        assert.deepEqual(warnings, []);
      });
    });
  });
}
