// GraphiQL's page in a real headless Chromium that reaches nothing but
// loopback: the page loads from the binary alone (no CDN), a token pasted
// into the headers editor loads the schema, a search runs and its result
// is read from the page. Every request to another host is blocked and
// recorded; none may be attempted.
//
// Chromium comes from Debian's package (.ci/run installs it) or from
// CHROMIUM_PATH. Without it the test fails under CI=true and is skipped
// otherwise.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { build, start } from './lib/server.js';

const chromium = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']
  .find((p) => p && existsSync(p));
const missing = 'Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)';
const skip = !chromium && process.env.CI !== 'true' ? `${missing}: skipped outside CI` : false;
const needChromium = () => assert.ok(chromium, `${missing}; CI=true, so this fails rather than skip`);

const loopback = new Set(['127.0.0.1', 'localhost', '[::1]']);
const cdns = /unpkg|jsdelivr|cdnjs|esm\.sh|skypack|googleapis|cloudflare|jspm/i;

// The headers editor: the visible one of the editor tools (the tab is
// opened by the page).
const headersEditor = '.graphiql-editor-tool .graphiql-editor:not(.hidden)';

// editor returns the text of the CodeMirror editor under selector.
function editorText(page, selector) {
  return page.$eval(`${selector} .CodeMirror`, (el) => el.CodeMirror.getValue());
}

describe('GraphiQL in a headless Chromium, loopback only', { skip }, () => {
  let srv;
  let browser;
  let page;
  const outside = []; // requests to anything but loopback
  const introspections = []; // Authorization headers of the introspection requests
  const problems = []; // page errors and console errors

  before(async () => {
    if (!chromium) return; // each test fails (CI=true)
    const dir = await mkdtemp(join(tmpdir(), 'carnet-graphiql-bin-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    srv = await start(await build(dir), 'sqlite');
    browser = await puppeteer.launch({
      executablePath: chromium,
      headless: true,
      // Names other than loopback's resolve to nothing: a CDN is
      // unreachable even if interception missed a request.
      args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'],
    });
    page = await browser.newPage();
    await page.setRequestInterception(true);
    page.on('request', (req) => {
      const u = new URL(req.url());
      if (u.protocol === 'data:' || (u.protocol.startsWith('http') && loopback.has(u.hostname))) {
        if (u.pathname === '/graphql' && /IntrospectionQuery/.test(req.postData() ?? '')) {
          introspections.push(req.headers().authorization ?? '');
        }
        req.continue();
        return;
      }
      outside.push(req.url());
      req.abort('blockedbyclient');
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });
    // Content-Security-Policy violations, seen from the page itself.
    await page.evaluateOnNewDocument(() => {
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  test('the page loads, a pasted token loads the schema, a search shows its result', async () => {
    needChromium();
    const token = srv.tokens['admin@demo.carnet.example'];
    const response = await page.goto(srv.base + '/', { waitUntil: 'load' });
    assert.equal(response.status(), 200);
    await page.waitForSelector('.graphiql-container .graphiql-query-editor .CodeMirror', { timeout: 30_000 });

    // The headers editor holds the placeholder, nothing else.
    const placeholder = await editorText(page, headersEditor);
    assert.match(placeholder, /paste a token here/);
    assert.ok(/^[\x20-\x7e\s]*$/.test(placeholder), `the placeholder has characters a header cannot carry: ${placeholder}`);

    // Paste the token: the schema is fetched again, with it.
    const headers = JSON.stringify({ Authorization: `Bearer ${token}` });
    await page.$eval(`${headersEditor} .CodeMirror`, (el, text) => {
      const cm = el.CodeMirror;
      cm.focus();
      cm.execCommand('selectAll');
      cm.replaceSelection(text, 'end', 'paste');
    }, headers);
    const deadline = Date.now() + 30_000;
    while (!introspections.includes(`Bearer ${token}`)) {
      assert.ok(Date.now() < deadline, `no introspection with the pasted token; those seen: ${JSON.stringify(introspections)}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    // Run a search.
    // GraphiQL reads the operation's name from the editor a moment after
    // a change: a person does not click faster than that.
    const query = 'query Search { search(query: "a", first: 3) { kind label } }';
    await page.$eval('.graphiql-query-editor .CodeMirror', (el, text) => el.CodeMirror.setValue(text), query);
    await new Promise((r) => setTimeout(r, 500));
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(
      () => /"search"/.test(document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror.getValue() ?? ''),
      { timeout: 30_000, polling: 100 },
    ).catch(async (err) => {
      const response = await editorText(page, '.graphiql-response').catch(() => '(none)');
      assert.fail(`${err.message}: no search result on the page; response editor: ${response}; problems: ${problems.join('\n')}`);
    });
    const shown = JSON.parse(await editorText(page, '.graphiql-response'));
    const direct = await fetch(srv.graphql, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    }).then((r) => r.json());
    assert.ok(direct.data.search.length > 0, 'the demo has no record matching "a"');
    assert.deepEqual(shown, direct);

    // The token stays out of localStorage (no "Persist headers" asked).
    const stored = await page.evaluate(() => Object.keys(localStorage).map((k) => `${k}=${localStorage.getItem(k)}`));
    assert.ok(!stored.some((kv) => kv.includes(token)), `the token is in localStorage: ${stored.join('\n')}`);

    assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'Content-Security-Policy violations');
    assert.deepEqual(problems.filter((p) => !/401|Unauthorized|UNAUTHENTICATED/i.test(p)), [], 'errors on the page');
  });

  test('no request left loopback (none to a CDN)', () => {
    needChromium();
    assert.deepEqual(outside.filter((u) => cdns.test(u)), [], 'requests to a CDN');
    assert.deepEqual(outside, [], 'requests beyond loopback');
  });
});
