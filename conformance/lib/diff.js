// lineDiff returns a unified-style diff of two texts ("-" lines only in
// want, "+" only in got, with 2 lines of context), at most maxLines long;
// '' when they are equal.
export function lineDiff(want, got, maxLines = 80) {
  if (want === got) return '';
  const a = want.split('\n');
  const b = got.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  // Longest common subsequence of the differing middle (sorted schema
  // prints differ in a few places, so it stays small).
  const ops = [];
  if (x.length * y.length <= 4e6) {
    const w = y.length + 1;
    const lcs = new Uint32Array((x.length + 1) * w);
    for (let i = x.length - 1; i >= 0; i--) {
      for (let j = y.length - 1; j >= 0; j--) {
        lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < x.length || j < y.length) {
      if (i < x.length && j < y.length && x[i] === y[j]) { ops.push([' ', x[i]]); i++; j++; } else if (j < y.length && (i === x.length || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j])) { ops.push(['+', y[j]]); j++; } else { ops.push(['-', x[i]]); i++; }
    }
  } else {
    x.forEach((l) => ops.push(['-', l]));
    y.forEach((l) => ops.push(['+', l]));
  }
  // Keep changed lines and 2 lines of context around them.
  const out = [`@@ from line ${start + 1} @@`];
  a.slice(Math.max(0, start - 2), start).forEach((l) => out.push('  ' + l));
  ops.forEach(([op, l], k) => {
    const near = ops.slice(Math.max(0, k - 2), k + 3).some(([o]) => o !== ' ');
    if (op !== ' ' || near) out.push(op + ' ' + l);
    else if (out.at(-1) !== '  …') out.push('  …');
  });
  a.slice(endA, endA + 2).forEach((l) => out.push('  ' + l));
  if (out.length > maxLines) return out.slice(0, maxLines).join('\n') + `\n… ${out.length - maxLines} more lines`;
  return out.join('\n');
}
