import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    typecheck: { enabled: true, include: ['test/**/*.type.test.ts'], tsconfig: './tsconfig.json' },
    testTimeout: 60_000,
  },
});
