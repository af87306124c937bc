import { defineConfig } from 'tsup';

// Builds the bench itself (TypeScript) into plain JS in .bench-tmp/build. The library is left
// external: `milestone-escrow` resolves, through the package's own exports, to its built dist/.
export default defineConfig({
  entry: {
    main: 'bench/src/main.ts',
    'parse-lines': 'bench/src/parse-lines.ts',
    'parse-fold-lines': 'bench/src/parse-fold-lines.ts',
    'rss-preload': 'bench/src/rss-preload.ts',
    profile: 'bench/src/profile.ts',
  },
  outDir: '.bench-tmp/build',
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  dts: false,
  sourcemap: true,
  clean: true,
  external: ['milestone-escrow', 'immer', 'valibot', 'fast-check'],
});
