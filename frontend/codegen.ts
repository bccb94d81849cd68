import type { CodegenConfig } from '@graphql-codegen/cli';

// Operations are typed from the router's public schema, derived from the committed supergraph by
// scripts/public-schema.mjs. Codegen validates every operation against it: a breaking schema change fails.
// AGORA_CODEGEN_SCHEMA / AGORA_CODEGEN_OUT let a test check operations against another schema.
const config: CodegenConfig = {
  schema: process.env.AGORA_CODEGEN_SCHEMA ?? 'src/gql/public.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*', '!src/**/*.test.{ts,tsx}'],
  ignoreNoDocuments: false,
  generates: {
    [process.env.AGORA_CODEGEN_OUT ?? 'src/gql/']: {
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
