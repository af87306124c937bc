import { defineConfig } from 'vitest/config';

// The slow tests (`npm run test:slow`, run by .ci/run after `npm test`): not part of `npm test`.
export default defineConfig({
  test: {
    include: ['test/slow/**/*.slow.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
