// Carnet's API seen by real clients: graphql-js (the reference
// implementation) reads the introspection and validates the
// documentation's examples; urql, a maintained client with the GraphQL
// multipart request spec built in, runs a scenario. The server is the
// real binary (`carnet serve --demo`), on SQLite and, when
// CARNET_TEST_POSTGRES_URL is set, on a fresh PostgreSQL database.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, fetchExchange } from '@urql/core';
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  lexicographicSortSchema,
  printSchema,
} from 'graphql';
import { build, repoRoot, start } from './lib/server.js';
import { documentationExamples, validateExample } from './lib/docs.js';
import { lineDiff } from './lib/diff.js';

const backends = ['sqlite'];
if (process.env.CARNET_TEST_POSTGRES_URL) backends.push('postgres');

// The binary is built once for every backend.
let built;
const binary = () => {
  built ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'carnet-conformance-bin-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    return build(dir);
  })();
  return built;
};

// client is an urql client authenticated with token. Uploads need the
// header GraphQL-Require-Preflight (CSRF); preflight: false leaves it out.
function client(url, token, { preflight = true } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (preflight) headers['graphql-require-preflight'] = '1';
  return new Client({
    url,
    exchanges: [fetchExchange],
    requestPolicy: 'network-only',
    fetchOptions: () => ({ headers }),
  });
}

// send runs a query or mutation and returns the whole urql result.
async function send(c, document, variables = {}) {
  const kind = /^\s*mutation\b/.test(document) ? 'mutation' : 'query';
  return c[kind](document, variables).toPromise();
}

// data runs an operation that must succeed and returns its data.
async function data(c, document, variables) {
  const r = await send(c, document, variables);
  if (r.error) {
    const detail = r.error.graphQLErrors.map((e) => `${e.message} ${JSON.stringify(e.extensions)}`).join('; ');
    assert.fail(`${r.error.message}${detail ? ` (${detail})` : ''}`);
  }
  return r.data;
}

// errorExtensions runs an operation that must fail and returns its errors'
// extensions.
async function errorExtensions(c, document, variables) {
  const r = await send(c, document, variables);
  assert.ok(r.error, `expected an error, got ${JSON.stringify(r.data)}`);
  assert.ok(r.error.graphQLErrors.length > 0, `expected GraphQL errors, got ${r.error.message}`);
  return r.error.graphQLErrors.map((e) => e.extensions ?? {});
}

const sorted = (schema) => printSchema(lexicographicSortSchema(schema));

for (const backend of backends) {
  describe(`carnet on ${backend}`, () => {
    let srv;
    let admin;
    let introspected;

    before(async () => {
      srv = await start(await binary(), backend);
      admin = client(srv.graphql, srv.tokens['admin@demo.carnet.example']);
      const introspection = await data(admin, getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
        oneOf: true,
      }));
      introspected = buildClientSchema(introspection);
    });
    after(async () => {
      await srv?.stop();
    });

    test('the introspection equals schema.graphql (types, fields, arguments, directives, descriptions)', async () => {
      const published = buildSchema(await readFile(join(repoRoot, 'schema.graphql'), 'utf8'));
      const diff = lineDiff(sorted(published), sorted(introspected));
      if (diff) {
        assert.fail(`the server's introspection (+) differs from schema.graphql (-), both printed sorted by graphql-js; run go generate ./...\n${diff}`);
      }
    });

    test('every GraphQL example of README.md and docs/ validates against the schema', async (t) => {
      const examples = await documentationExamples(repoRoot);
      assert.ok(examples.length > 0, 'no ```graphql block found in README.md: is the extraction broken?');
      for (const ex of examples) {
        await t.test(ex.where, { skip: ex.skipped && 'marked <!-- conformance:skip -->' }, () => {
          const errors = validateExample(introspected, ex.source);
          if (errors.length > 0) {
            assert.fail(`${ex.where} is not valid against the schema:\n${errors.join('\n')}\n---\n${ex.source}`);
          }
        });
      }
    });

    describe('a sales rep\'s scenario through urql', () => {
      // A word no demo record has, so that search finds exactly ours.
      const tag = 'Zq' + [...randomBytes(6)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
      let prospect;
      let contact;
      let doc;
      const bytes = randomBytes(1536 * 1024); // past 1 MiB: spooled to a temporary file
      const filename = 'devis été n°1.bin';

      test('create a prospect and a contact', async () => {
        const created = await data(admin, `mutation CreateProspect($input: CreateProspectInput!) {
          createProspect(input: $input) { id kind status version name phone email }
        }`, { input: { name: `  Établissements ${tag}  `, phone: '01 23 45 67 89', email: 'contact@dupond.example' } });
        prospect = created.createProspect;
        assert.equal(prospect.kind, 'PROSPECT');
        assert.equal(prospect.status, 'DRAFT');
        assert.equal(prospect.name, `Établissements ${tag}`, 'names are trimmed');
        assert.equal(prospect.phone, '+33123456789', 'phones are stored in E.164');

        const c = await data(admin, `mutation CreateContact($input: CreateContactInput!) {
          createContact(input: $input) { id lastName firstName phoneUri mailtoUri thirdParty { id } }
        }`, { input: { thirdPartyId: prospect.id, lastName: `${tag}ski`, firstName: 'Élodie', directLine: '06 12 34 56 78', email: 'elodie@dupond.example' } });
        contact = c.createContact;
        assert.equal(contact.thirdParty.id, prospect.id);
        assert.equal(contact.phoneUri, 'tel:+33612345678');
        assert.equal(contact.mailtoUri, 'mailto:elodie@dupond.example');

        const read = await data(admin, `query Prospect($id: ID!) {
          node(id: $id) { id ... on ThirdParty { name contacts(first: 5) { totalCount edges { node { id } } } } }
        }`, { id: prospect.id });
        assert.equal(read.node.id, prospect.id);
        assert.deepEqual(read.node.contacts.edges.map((e) => e.node.id), [contact.id]);
        assert.equal(read.node.contacts.totalCount, 1);
      });

      test('search finds the prospect and its contact, accents and case folded', async () => {
        assert.ok(prospect && contact, 'needs the records of the step before');
        const search = `query Search($q: String!) { search(query: $q, first: 20) { kind label detail node { id } } }`;
        const hits = (await data(admin, search, { q: tag.toUpperCase() })).search;
        assert.deepEqual(hits.map((h) => [h.kind, h.node.id]).sort(), [['CONTACT', contact.id], ['PROSPECT', prospect.id]].sort());
        const words = (await data(admin, search, { q: `etab ${tag.slice(0, 5)}` })).search;
        assert.ok(words.some((h) => h.node.id === prospect.id), `"etab ${tag.slice(0, 5)}" misses the prospect: ${JSON.stringify(words)}`);
      });

      test('paginate the third parties with first/after, then back with last/before', async () => {
        assert.ok(prospect, 'needs the prospect of the step before');
        const page = `query Page($first: Int, $after: Cursor, $last: Int, $before: Cursor) {
          thirdParties(first: $first, after: $after, last: $last, before: $before, orderBy: {field: NAME, direction: ASC}) {
            totalCount
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            edges { cursor node { id name } }
          }
        }`;
        const size = 100;
        const forward = [];
        let pages = 0;
        let endCursor;
        let total;
        for (;;) {
          const conn = (await data(admin, page, { first: size, ...(endCursor && { after: endCursor }) })).thirdParties;
          pages++;
          total ??= conn.totalCount;
          assert.equal(conn.totalCount, total, 'totalCount is the same on every page');
          assert.ok(conn.edges.length > 0 && conn.edges.length <= size, `page ${pages} has ${conn.edges.length} edges`);
          assert.equal(conn.pageInfo.startCursor, conn.edges[0].cursor);
          assert.equal(conn.pageInfo.endCursor, conn.edges.at(-1).cursor);
          forward.push(...conn.edges.map((e) => e.node.id));
          if (!conn.pageInfo.hasNextPage) break;
          assert.equal(conn.edges.length, size, `page ${pages} is not full but says hasNextPage`);
          assert.ok(pages < 100, 'pagination does not end');
          endCursor = conn.pageInfo.endCursor;
        }
        assert.ok(pages >= 2, `expected at least 2 pages of ${size}, got ${pages} (${forward.length} third parties)`);
        assert.equal(new Set(forward).size, forward.length, 'an ID appears on two pages');
        assert.equal(forward.length, total, 'the pages hold totalCount third parties');
        assert.ok(forward.includes(prospect.id), 'the new prospect is listed');

        const backward = [];
        let startCursor;
        pages = 0;
        for (;;) {
          const conn = (await data(admin, page, { last: size, ...(startCursor && { before: startCursor }) })).thirdParties;
          pages++;
          assert.ok(conn.edges.length > 0 && conn.edges.length <= size, `page ${pages} from the end has ${conn.edges.length} edges`);
          assert.equal(conn.pageInfo.startCursor, conn.edges[0].cursor);
          backward.unshift(...conn.edges.map((e) => e.node.id));
          if (!conn.pageInfo.hasPreviousPage) break;
          assert.ok(pages < 100, 'pagination does not end');
          startCursor = conn.pageInfo.startCursor;
        }
        assert.deepEqual(backward, forward, 'paging back from the end gives the same order');
      });

      test('upload a document with the multipart request spec', async () => {
        assert.ok(prospect, 'needs the prospect of the step before');
        const upload = `mutation Upload($ownerId: ID!, $file: Upload!, $title: String) {
          uploadDocument(ownerId: $ownerId, file: $file, title: $title) { id title filename contentType size sha256 url }
        }`;
        const file = new File([bytes], filename, { type: 'application/octet-stream' });
        doc = (await data(admin, upload, { ownerId: prospect.id, file, title: 'Devis' })).uploadDocument;
        assert.equal(doc.title, 'Devis');
        assert.equal(doc.filename, filename);
        assert.equal(doc.size, bytes.length);
        assert.equal(doc.sha256, createHash('sha256').update(bytes).digest('hex'));
        assert.equal(doc.contentType, 'application/octet-stream', 'random bytes sniff as octet-stream');
        assert.ok(doc.url.startsWith(srv.base + '/'), `url ${doc.url} is not on the server`);

        const listed = await data(admin, `query Docs($id: ID!) {
          node(id: $id) { ... on ThirdParty { documents(first: 10) { totalCount edges { node { id } } } } }
        }`, { id: prospect.id });
        assert.deepEqual(listed.node.documents.edges.map((e) => e.node.id), [doc.id]);
      });

      test('download the document at its url: the same bytes, the original name', async () => {
        assert.ok(doc, 'needs the document of the step before');
        const res = await fetch(doc.url, { headers: { authorization: `Bearer ${srv.tokens['admin@demo.carnet.example']}` } });
        assert.equal(res.status, 200);
        const got = Buffer.from(await res.arrayBuffer());
        assert.ok(got.equals(bytes), `downloaded ${got.length} bytes differ from the ${bytes.length} uploaded`);
        const disposition = res.headers.get('content-disposition') ?? '';
        const m = /filename\*=UTF-8''([^;\s]+)/i.exec(disposition);
        assert.ok(m, `no filename* in Content-Disposition: ${disposition}`);
        assert.equal(decodeURIComponent(m[1]), filename);

        const other = await fetch(doc.url, { headers: { authorization: `Bearer ${srv.tokens['admin@concurrent.example']}` } });
        assert.equal(other.status, 404, 'another organisation gets 404');
        await other.arrayBuffer();
        const anonymous = await fetch(doc.url);
        assert.equal(anonymous.status, 401);
        await anonymous.arrayBuffer();
      });

      test('errors carry the API\'s extensions.code', async () => {
        assert.ok(prospect && doc, 'needs the records of the steps before');
        const bad = await errorExtensions(admin, `mutation Bad($input: CreateProspectInput!) {
          createProspect(input: $input) { id }
        }`, { input: { name: `Mauvais ${tag}`, siret: '732 829 320 00075' } });
        assert.deepEqual(bad.map((e) => [e.code, e.field]), [['BAD_USER_INPUT', 'siret']]);

        const tooMany = await errorExtensions(admin, `query { thirdParties(first: 101) { totalCount } }`);
        assert.deepEqual(tooMany.map((e) => e.code), ['BAD_USER_INPUT']);

        const otherOrg = client(srv.graphql, srv.tokens['admin@concurrent.example']);
        const hidden = await errorExtensions(otherOrg, `query Node($id: ID!) { node(id: $id) { id } }`, { id: prospect.id });
        assert.deepEqual(hidden.map((e) => e.code), ['NOT_FOUND'], 'another organisation\'s ID is NOT_FOUND');

        const noPreflight = client(srv.graphql, srv.tokens['admin@demo.carnet.example'], { preflight: false });
        const csrf = await errorExtensions(noPreflight, `mutation Upload($ownerId: ID!, $file: Upload!) {
          uploadDocument(ownerId: $ownerId, file: $file) { id }
        }`, { ownerId: prospect.id, file: new File([Buffer.from('x')], 'x.txt') });
        assert.deepEqual(csrf.map((e) => e.code), ['BAD_USER_INPUT'], 'an upload without GraphQL-Require-Preflight is refused');
        const listed = await data(admin, `query Docs($id: ID!) {
          node(id: $id) { ... on ThirdParty { documents(first: 10) { totalCount } } }
        }`, { id: prospect.id });
        assert.equal(listed.node.documents.totalCount, 1, 'the refused upload kept nothing');

        const anonymous = client(srv.graphql, undefined);
        const unauth = await errorExtensions(anonymous, `query { me { id } }`);
        assert.deepEqual(unauth.map((e) => e.code), ['UNAUTHENTICATED']);
      });
    });
  });
}
