import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // `testing` and `postgres` share the domain's chunk with `index`, in CJS too (`splitting`),
    // so that one DomainError class serves every entry point and instanceof holds across subpaths.
    entry: { index: 'src/index.ts', testing: 'src/testing/index.ts', postgres: 'src/postgres/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    external: ['immer', 'valibot', 'pg', 'fast-check'],
    splitting: true,
  },
  {
    // The bin: ESM only, with its shebang kept by tsup.
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    target: 'node20',
    external: ['immer', 'valibot'],
  },
]);
