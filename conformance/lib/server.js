// Builds the carnet binary and runs `carnet serve --demo` on a free port,
// on SQLite or on a fresh PostgreSQL database.
import { spawn, execFile } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';

export const repoRoot = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');

const run = promisify(execFile);

let built;
// binary builds ./cmd/carnet once per test process, into a temporary
// folder removed at exit, and returns the binary's path.
export function binary() {
  built ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'carnet-conformance-bin-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    return build(dir);
  })();
  return built;
}

// build compiles ./cmd/carnet into dir and returns the binary's path.
export async function build(dir) {
  const bin = join(dir, 'carnet');
  await run('go', ['build', '-o', bin, './cmd/carnet'], { cwd: repoRoot, maxBuffer: 16 << 20 });
  return bin;
}

async function freePort() {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address();
  srv.close();
  await once(srv, 'close');
  return port;
}

// freshPostgres creates a database of its own on the server of baseURL
// and returns its URL and a function that drops it. An unreachable server
// is an error, never a skip.
async function freshPostgres(baseURL) {
  const name = 'carnet_conformance_' + randomBytes(6).toString('hex');
  const admin = new pg.Client({ connectionString: baseURL, connectionTimeoutMillis: 10000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (err) {
    await admin.end().catch(() => {});
    throw new Error(`CARNET_TEST_POSTGRES_URL is set but PostgreSQL refuses or is unreachable: ${err.message}`);
  }
  const u = new URL(baseURL);
  u.pathname = '/' + name;
  return {
    url: u.toString(),
    async drop() {
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

// start runs the demo server of bin on backend ('sqlite' or 'postgres')
// and resolves once it is ready, with its base URL, the demo tokens and
// stop(). env adds to (or overrides) the server's environment.
export async function start(bin, backend, env = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'carnet-conformance-'));
  let database = 'sqlite:' + join(dataDir, 'carnet.db');
  let pgdb;
  if (backend === 'postgres') {
    const base = process.env.CARNET_TEST_POSTGRES_URL;
    if (!base) throw new Error('CARNET_TEST_POSTGRES_URL is not set');
    pgdb = await freshPostgres(base);
    database = pgdb.url;
  }
  const port = await freePort();
  const child = spawn(bin, ['serve', '--demo'], {
    env: {
      ...process.env,
      CARNET_ADDR: `127.0.0.1:${port}`,
      DATABASE_URL: database,
      CARNET_DATA_DIR: dataDir,
      CARNET_ENV: 'development',
      CARNET_BLOB_URL: '',
      // The scenario is a handful of requests; the per-token limit is
      // turned off so that adding steps never meets a 429.
      CARNET_RATE_LIMIT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b) => { stdout += b; });
  child.stderr.on('data', (b) => { stderr += b; });
  const exited = once(child, 'exit');
  // Never leave a server behind, even when the test process dies early.
  const orphan = () => child.kill('SIGKILL');
  process.on('exit', orphan);

  const stop = async () => {
    process.off('exit', orphan);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    if (pgdb) await pgdb.drop();
    await rm(dataDir, { recursive: true, force: true });
  };

  const base = `http://127.0.0.1:${port}`;
  try {
    // Wait for the "listening" event of the JSON log on stderr (the demo
    // is loaded before it), then for /readyz; fail at once if the
    // process exits.
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`carnet serve exited with ${child.exitCode}:\n${stdout}\n${stderr}`);
      }
      if (stderr.includes('"msg":"listening"')) {
        const ready = await fetch(base + '/readyz').then((r) => r.ok, () => false);
        if (ready) break;
      }
      if (Date.now() > deadline) {
        throw new Error(`carnet serve did not become ready:\n${stdout}\n${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { base, graphql: base + '/graphql', tokens: parseTokens(stdout), stop, logs: () => stderr };
}

// parseTokens reads the tokens `serve --demo` prints, one per line:
// "  WHO (ROLE)   carnet_…", keyed by the user's e-mail.
export function parseTokens(out) {
  const tokens = {};
  for (const line of out.split('\n')) {
    const m = /^\s+(\S+@\S+)\s.*\s(\S+)\s*$/.exec(line);
    if (m) tokens[m[1]] = m[2];
  }
  if (!tokens['admin@demo.carnet.example']) {
    throw new Error(`no administrator token in the demo's output:\n${out}`);
  }
  return tokens;
}
