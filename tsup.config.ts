import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // `testing` (milestone-escrow/testing) shares the domain's chunk with `index`, in CJS too
    // (`splitting`), so that one DomainError class serves both entry points.
    entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    external: ['immer', 'valibot', 'fast-check'],
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
