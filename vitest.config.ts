import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    typecheck: { enabled: true, include: ['test/**/*.type.test.ts'], tsconfig: './tsconfig.json' },
    testTimeout: 60_000,
    // The default summary, then what was skipped and why (so that it is the last thing printed).
    reporters: ['default', './test/reporters/skipped.ts'],
  },
});
