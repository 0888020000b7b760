#!/usr/bin/env bash
# Fetches the pinned GraphiQL, React and ReactDOM builds from the npm
# registry (npm pack checks each tarball against the registry's
# integrity), copies the minified files the page needs into vendor/ and
# writes vendor/SHA384SUMS, the Subresource Integrity of each file. The
# page uses those hashes and a test recomputes them. To upgrade, change a
# version below, run this script and commit vendor/.
set -euo pipefail
GRAPHIQL_VERSION=3.8.3 # the last 3.x: a standalone build for <script> tags (5 has none)
REACT_VERSION=18.3.1   # React 19 ships no UMD build

cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "graphiql@$GRAPHIQL_VERSION" "react@$REACT_VERSION" "react-dom@$REACT_VERSION" >/dev/null)

take() { # tarball, path inside the package
  tar -xzf "$tmp/$1" -C "$tmp" "package/$2"
  cp "$tmp/package/$2" vendor/
}
rm -f vendor/*
take "graphiql-$GRAPHIQL_VERSION.tgz" graphiql.min.js
take "graphiql-$GRAPHIQL_VERSION.tgz" graphiql.min.css
take "react-$REACT_VERSION.tgz" umd/react.production.min.js
take "react-dom-$REACT_VERSION.tgz" umd/react-dom.production.min.js

cat >vendor/VERSIONS <<VERSIONS
graphiql $GRAPHIQL_VERSION
react $REACT_VERSION
react-dom $REACT_VERSION
VERSIONS
(cd vendor && node -e '
  const { createHash } = require("node:crypto");
  const { readFileSync } = require("node:fs");
  for (const f of process.argv.slice(1)) {
    console.log("sha384-" + createHash("sha384").update(readFileSync(f)).digest("base64") + "  " + f);
  }' graphiql.min.css graphiql.min.js react-dom.production.min.js react.production.min.js) >vendor/SHA384SUMS.tmp
mv vendor/SHA384SUMS.tmp vendor/SHA384SUMS
ls -l vendor
