// ESLint: typescript-eslint's strict type-checked rules on everything TypeScript in the repo
// (`npm run lint`, part of `npm test`). Examples import the package by name, so lint after a build.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'docs/api/',
      'coverage/',
      '.bench-tmp/',
      '.snippets/',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Counts and amounts in messages are the point of a template string.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      // `() => void work()` style callbacks are idiomatic in tests and loops.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // `interface AwardJob extends v.InferOutput<typeof AwardJobSchema> {}` names a type inferred
      // from its schema: an interface keeps its name in hovers, errors and declarations.
      '@typescript-eslint/no-empty-object-type': [
        'error',
        { allowInterfaces: 'with-single-extends' },
      ],
      // Stores implement an async port; an in-memory one has nothing to await.
      '@typescript-eslint/require-await': 'off',
      // `const { omitted: _, ...rest } = x` is how a key is left out of a copy.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Long units (issue 11): no source file over 400 lines, every line counted as `wc -l` counts
    // it; no function over 80 lines of code (blank and comment lines not counted, so a comment
    // saying why never pushes one over). A unit that is right long says why beside its disable
    // comment (`// eslint-disable-next-line max-lines-per-function -- <reason>`).
    files: ['src/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }],
      'max-lines-per-function': [
        'error',
        { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true },
      ],
    },
  },
  {
    // The same 400 lines for tests, benchmarks and examples (every file was split under it by
    // hand; the rule keeps it so), and for scripts (check-package.ts was split by what it checks).
    // Their functions are describe blocks: no per-function cap.
    files: ['test/**', 'bench/**', 'examples/**', 'scripts/**'],
    rules: { 'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }] },
  },
  {
    // Tests, benchmarks and examples index arrays they just built (noUncheckedIndexedAccess is on).
    files: ['test/**', 'bench/**', 'examples/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // The benchmarks drop references on purpose (`jobs = []` before a gc()) so a heap can shrink.
    files: ['bench/**'],
    rules: { 'no-useless-assignment': 'off' },
  },
);
