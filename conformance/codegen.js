// graphql-codegen's configuration: `npx graphql-codegen --config codegen.js`.
// In an application, `schema` is a copy of Carnet's published
// schema.graphql (in production the server does not answer introspection)
// and `documents` the application's operations.

// Carnet's custom scalars, as JSON carries them. strictScalars makes
// codegen fail on a scalar missing here, so none is ever typed `any`.
export const scalars = {
  // Opaque: pass it back as after/before.
  Cursor: 'string',
  // RFC 3339 in UTC, e.g. "2026-03-14T09:30:00Z" (new Date(value)).
  Time: 'string',
  // A calendar day, "2026-03-14".
  Date: 'string',
  // A file part of a multipart request (apollo-upload-client, urql).
  Upload: { input: 'File | Blob', output: 'never' },
};

export default {
  overwrite: true,
  schema: '../schema.graphql',
  documents: 'lib/operations.graphql',
  generates: {
    // The schema's and the operations' types.
    'lib/gql/types.ts': {
      plugins: ['typescript', 'typescript-operations'],
      config: { scalars, strictScalars: true, enumsAsTypes: true, useTypeImports: true },
    },
    // possibleTypes for Apollo Client's InMemoryCache.
    'lib/gql/possible-types.json': { plugins: ['fragment-matcher'] },
    // The schema, minified, for urql Graphcache.
    'lib/gql/introspection.json': { plugins: ['urql-introspection'] },
  },
};
