import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts', postgres: 'src/postgres/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    external: ['immer', 'valibot', 'pg'],
    // One copy of shared modules (DomainError) for every entry, in CJS too, so instanceof holds across subpaths.
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
