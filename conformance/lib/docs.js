// Finds the GraphQL examples of the documentation and validates them.
//
// Every fenced block whose info string is `graphql` in README.md and in
// docs/**/*.md is an executable document (queries, mutations, fragments)
// that must parse and validate against the schema. A block that is not
// meant to (SDL, a deliberately wrong example) is marked by the line
// `<!-- conformance:skip -->` (a reason may follow the word skip) just
// before its fence, or fenced as `graphql-sdl`.
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Kind, NoUnusedFragmentsRule, parse, specifiedRules, validate, visit } from 'graphql';

const skipMarker = /^\s*<!--\s*conformance:skip\b.*-->\s*$/;

// markdownFiles lists README.md and every .md file under docs/.
export async function markdownFiles(root) {
  const files = [join(root, 'README.md')];
  const docs = join(root, 'docs');
  const entries = await readdir(docs, { recursive: true }).catch((err) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  for (const e of entries.sort()) {
    if (e.endsWith('.md') && !e.split(/[\\/]/).includes('node_modules')) files.push(join(docs, e));
  }
  return files;
}

// graphqlBlocks returns the `graphql` fenced blocks of a Markdown text:
// { line (of the fence, 1-based), source, skipped }.
export function graphqlBlocks(text) {
  const lines = text.split(/\r?\n/);
  const blocks = [];
  let prev = '';
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]);
    // A backtick fence's info string has no backtick (CommonMark).
    if (!open || (open[2][0] === '`' && open[3].includes('`'))) {
      if (lines[i].trim() !== '') prev = lines[i];
      continue;
    }
    const [, indent, fence, info] = open;
    const lang = info.trim().split(/\s+/)[0];
    const body = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = new RegExp(`^\\s*${fence[0]}{${fence.length},}\\s*$`);
      if (close.test(lines[j])) break;
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart());
    }
    if (lang.toLowerCase() === 'graphql') {
      blocks.push({ line: i + 1, source: body.join('\n'), skipped: skipMarker.test(prev) });
    }
    prev = '';
    i = j;
  }
  return blocks;
}

// documentationExamples lists every graphql block of the documentation
// with its place ("docs/GUIDE.md:42").
export async function documentationExamples(root) {
  const out = [];
  for (const file of await markdownFiles(root)) {
    const text = await readFile(file, 'utf8');
    for (const b of graphqlBlocks(text)) {
      out.push({ ...b, where: `${relative(root, file)}:${b.line}` });
    }
  }
  return out;
}

// validateExample parses source and validates it against schema; it
// returns the errors as strings (none: valid). A block that shows several
// operations one after the other is validated one operation at a time,
// each with the fragments it uses, as a reader would send them.
export function validateExample(schema, source) {
  let doc;
  try {
    doc = parse(source);
  } catch (err) {
    return [`does not parse: ${err.message}`];
  }
  const operations = doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const foreign = doc.definitions.filter((d) => d.kind !== Kind.OPERATION_DEFINITION && d.kind !== Kind.FRAGMENT_DEFINITION);
  if (foreign.length > 0) {
    return [`holds type-system definitions (${foreign[0].kind}): not an executable document; mark it <!-- conformance:skip --> or fence it as graphql-sdl`];
  }
  // [document, rules] pairs: fragments that no operation uses (a block
  // may show a fragment alone) are validated without NoUnusedFragments.
  const checks = [];
  if (operations.length === 1) {
    checks.push([doc, specifiedRules]);
  } else {
    const used = new Set();
    for (const op of operations) {
      const d = withFragments(doc, op);
      d.definitions.slice(1).forEach((f) => used.add(f.name.value));
      checks.push([d, specifiedRules]);
    }
    const alone = doc.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION && !used.has(d.name.value));
    if (alone.length > 0) {
      checks.push([{ kind: Kind.DOCUMENT, definitions: alone }, specifiedRules.filter((r) => r !== NoUnusedFragmentsRule)]);
    }
  }
  const errors = [];
  for (const [d, rules] of checks) {
    for (const e of validate(schema, d, rules)) {
      const loc = e.locations?.[0];
      errors.push(loc ? `line ${loc.line} of the block: ${e.message}` : e.message);
    }
  }
  return errors;
}

// withFragments is the document of op and the fragments it uses,
// directly or through other fragments.
function withFragments(doc, op) {
  const fragments = new Map();
  for (const d of doc.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  }
  const used = new Set();
  const walk = (node) => {
    visit(node, {
      FragmentSpread(s) {
        const name = s.name.value;
        if (!used.has(name) && fragments.has(name)) {
          used.add(name);
          walk(fragments.get(name));
        }
      },
    });
  };
  walk(op);
  return { kind: Kind.DOCUMENT, definitions: [op, ...[...used].map((n) => fragments.get(n))] };
}

const sameAsMarker = /^\s*<!--\s*conformance:same-as\s+(\S+)\s*-->\s*$/;

// sameAsBlocks returns the fenced blocks of a Markdown text that show a
// file of the repository: the line `<!-- conformance:same-as PATH -->`
// (PATH from the repository's root) just before the fence. Each is
// { line (of the fence, 1-based), path, source }: a test checks that
// source is the file, so the documentation shows the code that is tested.
export function sameAsBlocks(text) {
  const lines = text.split(/\r?\n/);
  const blocks = [];
  for (let i = 1; i < lines.length; i++) {
    const marker = sameAsMarker.exec(lines[i - 1]);
    const open = /^(`{3,}|~{3,})/.exec(lines[i]);
    if (!marker || !open) continue;
    const close = new RegExp(`^${open[1][0]}{${open[1].length},}\\s*$`);
    let j = i + 1;
    while (j < lines.length && !close.test(lines[j])) j++;
    blocks.push({ line: i + 1, path: marker[1], source: lines.slice(i + 1, j).join('\n') + '\n' });
    i = j;
  }
  return blocks;
}
