import type { CodegenConfig } from '@graphql-codegen/cli';

// Operations are typed from the router's public schema, derived from the committed supergraph by
// scripts/public-schema.mjs. Codegen validates every operation against it: a breaking schema change fails.
const config: CodegenConfig = {
  schema: 'src/gql/public.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*', '!src/**/*.test.{ts,tsx}'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { Decimal: 'string', DateTime: 'string', Date: 'string', JSON: 'unknown' },
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};
export default config;
