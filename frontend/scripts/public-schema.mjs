#!/usr/bin/env node
// Writes the public API schema (what clients of the router see) from the committed supergraph:
// schema/supergraph.graphql -> frontend/src/gql/public.graphql (generated, not committed).
// GraphQL Code Generator validates every operation of the app against it, so a schema change
// that breaks an operation fails `npm run codegen` and therefore `make test`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, print } from 'graphql';
import { transformSupergraphToPublicSchema } from '@theguild/federation-composition';

const here = dirname(fileURLToPath(import.meta.url));
const supergraph = resolve(here, '..', '..', 'schema', 'supergraph.graphql');
const out = resolve(here, '..', 'src', 'gql', 'public.graphql');
const publicSchema = transformSupergraphToPublicSchema(parse(readFileSync(supergraph, 'utf8')));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, print(publicSchema) + '\n');
process.stdout.write(`public-schema: wrote ${out}\n`);
