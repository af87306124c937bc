import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { allSnippets, region, ROOT, type Snippet } from './snippets.js';

/*
 * The docs cannot rot. Every ```ts block in README.md and docs/*.md, and in the TSDoc `@example`s
 * of src/, is one of two kinds:
 *
 * - A quotation: `<!-- snippet: FILE#REGION -->` (or `<!-- region REGION of FILE -->`) just
 *   before the block says it is the region REGION of FILE (between `// #region REGION` and
 *   `// #endregion REGION`, dedented), and it must be exactly that. FILE is in examples/ or test/,
 *   and so is run by the test suite.
 * - A program: every other block is a whole program that imports the package by its name. The
 *   blocks are written to .snippets/ (inside the package, so `milestone-escrow` resolves to the
 *   built dist/ through the package's own `exports`), compiled together by tsc with the project's
 *   strict options, and each is run with node in .snippets/, where `job.ndjson` holds the seed
 *   logo job's events. It must exit 0 and write nothing to stderr; a block followed by
 *   `<!-- output -->` and a ```text block must print exactly that text. The info string
 *   ```ts compile-only marks a block that is compiled but not run (it needs a service).
 *
 * Every file in examples/ must be run (imported or spawned) by some test.
 */

const exec = promisify(execFile);
const DIR = join(ROOT, '.snippets');
const OUT = join(DIR, 'out');
const snippets = allSnippets();
const quoted = snippets.filter((s) => s.region !== undefined);
const programs = snippets.filter((s) => s.region === undefined);
const fileOf = (s: Snippet): string => `${s.where.replace(/[^A-Za-z0-9]+/g, '-')}.ts`;
const trimEnd = (text: string): string => text.replace(/\s+$/, '');

let compiled: { ok: true } | { ok: false; errors: string } = { ok: false, errors: 'not compiled' };

beforeAll(() => {
  expect(
    existsSync(join(ROOT, 'dist', 'index.js')),
    'dist/ is built (npm test builds before vitest)',
  ).toBe(true);
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  // The fixture a reader has: the seed logo job's events, as the CLI writes them.
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'dist', 'cli.js'),
      'run',
      join(ROOT, 'examples', 'logo-design.commands.ndjson'),
      '--events',
      join(DIR, 'job.ndjson'),
    ],
    {
      stdio: 'ignore',
    },
  );
  for (const s of programs) writeFileSync(join(DIR, fileOf(s)), `// ${s.where}\n${s.code}`);
  const { compilerOptions } = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: Record<string, unknown>;
  };
  writeFileSync(
    join(DIR, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        ...compilerOptions,
        noEmit: false,
        outDir: 'out',
        rootDir: '.',
        sourceMap: false,
        noUnusedLocals: false,
        noUnusedParameters: false,
      },
      include: ['*.ts'],
    }),
  );
  try {
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(DIR, 'tsconfig.json')],
      { encoding: 'utf8' },
    );
    compiled = { ok: true };
  } catch (error) {
    compiled = { ok: false, errors: String((error as { stdout?: string }).stdout ?? error) };
  }
}, 120_000);

describe('doc snippets', () => {
  it('are found (README, docs/, TSDoc @example)', () => {
    expect(programs.some((s) => s.where.startsWith('README.md'))).toBe(true);
    expect(snippets.some((s) => s.where.startsWith('src/'))).toBe(true);
    expect(quoted.length).toBeGreaterThan(0);
  });

  it('every program compiles (tsc, strict, against the built package)', () => {
    expect(compiled.ok ? '' : compiled.errors).toBe('');
  });
});

describe.each(quoted)('$where', (s) => {
  it(`is the region ${s.region?.name ?? ''} of ${s.region?.file ?? ''}, verbatim`, () => {
    const { file, name } = s.region ?? { file: '', name: '' };
    expect(file, 'quoted from a file the tests run').toMatch(/^(examples|test)\//);
    expect(trimEnd(s.code)).toBe(trimEnd(region(file, name)));
  });
});

describe.concurrent.each(programs)('$where', (s) => {
  it(s.output === undefined ? 'runs' : 'runs, and prints what the page shows', async ({ skip }) => {
    if (s.flags.includes('compile-only'))
      skip('compile-only snippets need a service (a database, a server): compiled, not run');
    expect(compiled.ok, 'compiled').toBe(true);
    const { stdout, stderr } = await exec(
      process.execPath,
      [join(OUT, fileOf(s).replace(/\.ts$/, '.js'))],
      { cwd: DIR, timeout: 30_000 },
    );
    expect(stderr).toBe('');
    if (s.output !== undefined) expect(trimEnd(stdout)).toBe(trimEnd(s.output));
  });
});

describe('examples/', () => {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name).slice(ROOT.length + 1)],
    );
  const code = (file: string) => /\.(ts|mts|js|mjs|cjs)$/.test(file);
  const tests = [
    ...walk(join(ROOT, 'test')),
    ...walk(join(ROOT, 'examples')).filter((f) => f.endsWith('.test.ts')),
  ].map((f) => readFileSync(join(ROOT, f), 'utf8'));
  const vitestConfig = readFileSync(join(ROOT, 'vitest.config.ts'), 'utf8');

  it.each(walk(join(ROOT, 'examples')).filter(code))('%s is run by the tests', (file) => {
    if (file.endsWith('.test.ts')) {
      // A test itself: vitest runs examples/**/*.test.ts.
      expect(vitestConfig).toContain("'examples/**/*.test.ts'");
      return;
    }
    const name = file.replace(/^.*\//, '').replace(/\.\w+$/, '');
    expect(
      tests.some((text) => new RegExp(`\\b${name}\\.(ts|js|mjs|cjs)\\b`).test(text)),
      `a test imports or runs ${file}`,
    ).toBe(true);
  });
});

describe('the snippet finder', () => {
  it('finds a program, its output, a quotation and compile-only', async () => {
    const { markdownSnippets } = await import('./snippets.js');
    const page = [
      '```ts',
      "console.log('hi');",
      '```',
      '',
      '<!-- output -->',
      '```text',
      'hi',
      '```',
      '',
      '<!-- snippet: examples/x.ts#r -->',
      '```ts',
      'quoted();',
      '```',
      '```ts compile-only',
      'await connect();',
      '```',
    ].join('\n');
    const found = markdownSnippets('page.md', page);
    expect(found.map((s) => [s.where, s.output, s.region, s.flags])).toEqual([
      ['page.md:1', 'hi\n', undefined, []],
      ['page.md:11', undefined, { file: 'examples/x.ts', name: 'r' }, []],
      ['page.md:14', undefined, undefined, ['compile-only']],
    ]);
  });
});
