// Refusals and standard features as front-end teams meet them, through
// their own clients: Apollo Client 4 (with PersistedQueryLink and
// apollo-upload-client), urql and graphql-request each read the code of a
// 401, 429, 400 and 413 refusal as a GraphQL error; graphql-http's audit
// of the GraphQL-over-HTTP specification finds no failure and no warning.
// On SQLite and, when CARNET_TEST_POSTGRES_URL is set, on PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { print } from 'graphql';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import UploadHttpLink from 'apollo-upload-client/UploadHttpLink.mjs';
import { Client, fetchExchange } from '@urql/core';
import { ClientError, GraphQLClient } from 'graphql-request';
import { auditServer } from 'graphql-http';
import { binary, start } from './lib/server.js';

const backends = ['sqlite'];
if (process.env.CARNET_TEST_POSTGRES_URL) backends.push('postgres');

const sha256 = (text) => createHash('sha256').update(text).digest('hex');

// recordingFetch is fetch that keeps each request's method, URL and body.
function recordingFetch() {
  const sent = [];
  const fn = async (input, init = {}) => {
    sent.push({ method: init.method ?? 'GET', url: String(input), body: typeof init.body === 'string' ? init.body : null });
    return fetch(input, init);
  };
  return { fn, sent };
}

// The three clients, each turning a failed operation into its codes:
// codes(url, token, document, variables, extraHeaders) resolves to the
// extensions.code of the GraphQL errors the client surfaced.
const clients = {
  async 'Apollo Client'(url, token, document, variables, headers = {}) {
    const apollo = new ApolloClient({
      link: new HttpLink({ uri: url, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } }),
      cache: new InMemoryCache(),
    });
    const doc = gql(document);
    const isMutation = /^\s*mutation\b/.test(document);
    try {
      await (isMutation ? apollo.mutate({ mutation: doc, variables }) : apollo.query({ query: doc, variables, fetchPolicy: 'network-only' }));
    } catch (err) {
      assert.ok(CombinedGraphQLErrors.is(err), `Apollo raised ${err?.name}, not GraphQL errors: ${err?.message}`);
      return err.errors.map((e) => e.extensions?.code);
    }
    assert.fail('Apollo Client: the operation succeeded');
  },
  async urql(url, token, document, variables, headers = {}) {
    const c = new Client({
      url,
      exchanges: [fetchExchange],
      requestPolicy: 'network-only',
      fetchOptions: () => ({ headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } }),
    });
    const kind = /^\s*mutation\b/.test(document) ? 'mutation' : 'query';
    const r = await c[kind](document, variables).toPromise();
    assert.ok(r.error, 'urql: the operation succeeded');
    assert.ok(r.error.graphQLErrors.length > 0, `urql surfaced no GraphQL error: ${r.error.message}`);
    return r.error.graphQLErrors.map((e) => e.extensions?.code);
  },
  async 'graphql-request'(url, token, document, variables, headers = {}) {
    const c = new GraphQLClient(url, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
    try {
      await c.request(document, variables);
    } catch (err) {
      assert.ok(err instanceof ClientError, `graphql-request raised ${err?.name}: ${err?.message}`);
      assert.ok(err.response.errors?.length > 0, `graphql-request surfaced no GraphQL error (status ${err.response.status})`);
      return err.response.errors.map((e) => e.extensions?.code);
    }
    assert.fail('graphql-request: the operation succeeded');
  },
};

for (const backend of backends) {
  describe(`clients and the GraphQL-over-HTTP audit, carnet on ${backend}`, () => {
    let srv;
    let limited;
    let token;

    before(async () => {
      const bin = await binary();
      // A second server whose tokens may make one request: the 429s.
      [srv, limited] = await Promise.all([
        start(bin, backend),
        start(bin, backend, { CARNET_RATE_LIMIT: '0.001', CARNET_RATE_BURST: '1' }),
      ]);
      token = srv.tokens['admin@demo.carnet.example'];
    });
    after(async () => {
      await Promise.all([srv?.stop(), limited?.stop()]);
    });

    test('graphql-http\'s server audit: no MUST failure, no SHOULD warning', async () => {
      const results = await auditServer({
        url: srv.graphql,
        fetchFn: (input, init = {}) => {
          const headers = new Headers(init.headers);
          headers.set('authorization', `Bearer ${token}`);
          return fetch(input, { ...init, headers });
        },
      });
      assert.ok(results.length >= 40, `the audit ran ${results.length} checks`);
      const bad = results.filter((r) => r.status === 'error' || r.status === 'warn');
      assert.deepEqual(bad.map((r) => `${r.status} ${r.id} ${r.name}: ${r.reason}`), []);
    });

    for (const [name, codes] of Object.entries(clients)) {
      describe(`refusals through ${name}`, () => {
        test('401: no token, an unknown token', async () => {
          assert.deepEqual(await codes(srv.graphql, '', '{ me { name } }'), ['UNAUTHENTICATED']);
          assert.deepEqual(await codes(srv.graphql, 'carnet_unknown', '{ me { name } }'), ['UNAUTHENTICATED']);
        });
        test('429: past the token\'s rate', async () => {
          const t = limited.tokens['admin@demo.carnet.example'];
          // The token's one request may already be spent by another client.
          await fetch(limited.graphql, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${t}` },
            body: JSON.stringify({ query: '{ __typename }' }),
          });
          assert.deepEqual(await codes(limited.graphql, t, '{ me { name } }'), ['RATE_LIMITED']);
        });
        test('400: a document that does not validate, a variable that does not coerce', async () => {
          assert.deepEqual(await codes(srv.graphql, token, '{ me { nope } }'), ['BAD_USER_INPUT']);
          assert.deepEqual(await codes(srv.graphql, token, 'query Page($n: Int) { thirdParties(first: $n) { totalCount } }', { n: 'many' }), ['BAD_USER_INPUT']);
        });
        test('413: a body past 1 MiB', async () => {
          const big = 'x'.repeat(1_100_000);
          assert.deepEqual(await codes(srv.graphql, token, 'query Big($q: String) { thirdParties(first: 1, where: {nameContains: $q}) { totalCount } }', { q: big }), ['BAD_USER_INPUT']);
        });
      });
    }

    test('the statuses behind those codes, for Apollo\'s Accept', async () => {
      const accept = 'application/graphql-response+json,application/json;q=0.9';
      const post = (url, t, body) => fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept, ...(t ? { authorization: `Bearer ${t}` } : {}) },
        body: JSON.stringify(body),
      });
      const cases = [
        ['no token', await post(srv.graphql, '', { query: '{ me { name } }' }), 401, 'www-authenticate'],
        ['past the rate', await post(limited.graphql, limited.tokens['admin@demo.carnet.example'], { query: '{ me { name } }' }), 429, 'retry-after'],
        ['invalid document', await post(srv.graphql, token, { query: '{ me { nope } }' }), 400, null],
        ['body past 1 MiB', await post(srv.graphql, token, { query: '{ me { name } }', variables: { x: 'x'.repeat(1_100_000) } }), 413, null],
      ];
      for (const [what, res, status, header] of cases) {
        const body = await res.json();
        assert.equal(res.status, status, what);
        assert.match(res.headers.get('content-type'), /^application\/graphql-response\+json/, what);
        assert.ok(!('data' in body), `${what}: a refusal has a data entry`);
        if (header) assert.ok(res.headers.get(header), `${what}: no ${header}`);
      }
    });

    describe('Apollo Client 4 with PersistedQueryLink and apollo-upload-client', () => {
      const apolloWith = (terminating, pq) => new ApolloClient({
        link: ApolloLink.from([new PersistedQueryLink({ sha256, ...pq }), terminating]),
        cache: new InMemoryCache(),
      });

      test('a hash the server does not know, then the document, then the hash alone (POST and GET)', async () => {
        const rec = recordingFetch();
        const http = () => new HttpLink({ uri: srv.graphql, headers: { authorization: `Bearer ${token}` }, fetch: rec.fn });
        const query = gql`query PersistedMe { me { name email } }`;
        const first = await apolloWith(http()).query({ query, fetchPolicy: 'network-only' });
        assert.ok(first.data.me.name);
        assert.equal(rec.sent.length, 2, 'a miss then the document');
        const [miss, full] = rec.sent.map((s) => JSON.parse(s.body));
        assert.equal(miss.query, undefined);
        assert.equal(miss.extensions.persistedQuery.version, 1);
        assert.ok(full.query.includes('PersistedMe'));

        // Another client (another browser) sends the hash alone.
        rec.sent.length = 0;
        const again = await apolloWith(http()).query({ query, fetchPolicy: 'network-only' });
        assert.deepEqual(again.data, first.data);
        assert.equal(rec.sent.length, 1);
        assert.equal(JSON.parse(rec.sent[0].body).query, undefined);

        rec.sent.length = 0;
        const byGET = await apolloWith(http(), { useGETForHashedQueries: true }).query({ query, fetchPolicy: 'network-only' });
        assert.deepEqual(byGET.data, first.data);
        assert.equal(rec.sent.length, 1);
        assert.equal(rec.sent[0].method, 'GET');
        assert.ok(!new URL(rec.sent[0].url).searchParams.has('query'), 'the GET sent the document');
      });

      test('the page limits apply to a persisted document', async () => {
        const query = gql`query PersistedBigPage { thirdParties(first: 1000) { totalCount } }`;
        const apollo = () => apolloWith(new HttpLink({ uri: srv.graphql, headers: { authorization: `Bearer ${token}` } }));
        for (let i = 0; i < 2; i++) {
          await assert.rejects(apollo().query({ query, fetchPolicy: 'network-only' }), (err) => {
            assert.ok(CombinedGraphQLErrors.is(err), err.message);
            assert.equal(err.errors[0].extensions.code, 'BAD_USER_INPUT');
            assert.equal(err.errors[0].extensions.field, 'first');
            return true;
          });
        }
      });

      test('an upload through UploadHttpLink, and one far past the limit is 413 with the file\'s message', async () => {
        const upload = new UploadHttpLink({
          uri: srv.graphql,
          headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
        });
        const apollo = apolloWith(upload);
        const me = await apollo.query({ query: gql`query UploadOwner { thirdParties(first: 1) { edges { node { id } } } }` });
        const ownerId = me.data.thirdParties.edges[0].node.id;
        const mutation = gql`mutation UploadDocument($ownerId: ID!, $file: Upload!) { uploadDocument(ownerId: $ownerId, file: $file) { id size } }`;
        const small = new File([Buffer.from('devis')], 'devis.txt', { type: 'text/plain' });
        const ok = await apollo.mutate({ mutation, variables: { ownerId, file: small } });
        assert.equal(ok.data.uploadDocument.size, 5);

        const huge = new File([Buffer.alloc(30 << 20, 120)], 'huge.bin', { type: 'application/octet-stream' });
        await assert.rejects(apollo.mutate({ mutation, variables: { ownerId, file: huge } }), (err) => {
          assert.ok(CombinedGraphQLErrors.is(err), `${err.name}: ${err.message}`);
          assert.equal(err.errors[0].extensions.code, 'BAD_USER_INPUT');
          assert.equal(err.errors[0].extensions.field, 'file');
          assert.match(err.errors[0].message, /^(the file is larger than the limit of \d+ bytes|le fichier dépasse la limite de \d+ octets)/);
          return true;
        });

        // The same body without a length (sent chunked), read past the limit.
        const operations = JSON.stringify({ query: print(mutation), variables: { ownerId, file: null } });
        const form = new FormData();
        form.append('operations', operations);
        form.append('map', JSON.stringify({ 0: ['variables.file'] }));
        form.append('0', huge);
        const encoded = new Response(form);
        const res = await fetch(srv.graphql, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'graphql-require-preflight': '1',
            'content-type': encoded.headers.get('content-type'),
          },
          body: encoded.body,
          duplex: 'half',
        });
        const answer = await res.json();
        assert.equal(res.status, 413);
        assert.equal(answer.errors[0].extensions.code, 'BAD_USER_INPUT');
        assert.match(answer.errors[0].message, /^(the file is larger than the limit of \d+ bytes|le fichier dépasse la limite de \d+ octets)/);
      });
    });
  });
}
