import { execFile, execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allSnippets, type Snippet } from '../docs/snippets.js';

/*
 * The guides as a user of the installed package follows them (`npm run test:slow`, which CI
 * runs): the package is packed (`npm pack`, from the dist/ that test:slow has just built),
 * installed into a scratch app in a temp dir (the tarball by `npm install`; immer and valibot
 * from the npm cache or registry), and there, importing the package by its name:
 *
 * - every program snippet of README.md, docs/*.md and the TSDoc is saved as a file of the app,
 *   and every shipped example is copied out of node_modules/milestone-escrow/examples, and all
 *   are type-checked together under the project's strict options;
 * - each snippet runs as a reader would run it (`npx tsx FILE.ts`, beside the `job.ndjson` that
 *   `npx milestone-escrow demo --events job.ndjson` writes, as the guides say), printing what its
 *   page shows when the page shows it;
 * - each shipped example runs where the guides say it is, `npx tsx
 *   node_modules/milestone-escrow/examples/….ts`; the testing examples under vitest and
 *   node:test; with `DATABASE_URL` (CI sets it), the PostgreSQL quickstart, twice, and the live
 *   marketplace with a few jobs, each on a schema of its own, from node_modules.
 *
 * The dev tools the guides install (typescript, tsx, vitest, fast-check, pg and the @types) are
 * linked from this project's node_modules rather than downloaded again.
 */

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const APP = mkdtempSync(join(tmpdir(), 'milestone-escrow-guides-'));
const PKG = join(APP, 'node_modules', 'milestone-escrow');
const LINKED = ['typescript', 'tsx', 'vitest', 'fast-check', 'pg', '@types/node', '@types/pg'];

const programs = allSnippets().filter((s) => s.region === undefined);
const fileOf = (s: Snippet): string => `${s.where.replace(/[^A-Za-z0-9]+/g, '-')}.ts`;
const trimEnd = (text: string): string => text.replace(/\s+$/, '');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

let examples: string[] = [];
let typecheck = '';

beforeAll(async () => {
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', APP], {
      cwd: ROOT,
      encoding: 'utf8',
    }),
  ) as [{ filename: string }];
  writeFileSync(
    join(APP, 'package.json'),
    JSON.stringify({ name: 'scratch-app', private: true, type: 'module' }),
  );
  await exec(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', join(APP, packed.filename)],
    { cwd: APP },
  );
  for (const name of LINKED) {
    mkdirSync(join(APP, 'node_modules', name, '..'), { recursive: true });
    if (!existsSync(join(APP, 'node_modules', name)))
      symlinkSync(join(ROOT, 'node_modules', name), join(APP, 'node_modules', name), 'dir');
  }
  for (const s of programs) writeFileSync(join(APP, fileOf(s)), `// ${s.where}\n${s.code}`);
  examples = walk(join(PKG, 'examples')).map((file) => relative(PKG, file));
  cpSync(join(PKG, 'examples'), join(APP, 'examples'), { recursive: true });
  const { compilerOptions } = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: Record<string, unknown>;
  };
  writeFileSync(
    join(APP, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { ...compilerOptions, noUnusedLocals: false, noUnusedParameters: false },
      include: ['*.ts', 'examples/**/*.ts'],
    }),
  );
  try {
    await exec(
      process.execPath,
      [join(APP, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'],
      {
        cwd: APP,
      },
    );
  } catch (error) {
    typecheck = String((error as { stdout?: string }).stdout ?? error);
  }
  // What the guides tell a reader to do first.
  await exec(
    join(APP, 'node_modules', '.bin', 'milestone-escrow'),
    ['demo', '--events', 'job.ndjson'],
    {
      cwd: APP,
    },
  );
}, 240_000);

afterAll(() => {
  rmSync(APP, { recursive: true, force: true });
});

const tsx = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  exec(process.execPath, ['--import', 'tsx', ...args], {
    cwd: APP,
    timeout: 60_000,
    env: { ...process.env, ...env },
  });

describe('the packed package, installed in a scratch app', () => {
  it('ships every example the guides run, and the guides', () => {
    expect(examples).toEqual(
      expect.arrayContaining([
        'examples/logo-design.commands.ndjson',
        'examples/read-models.ts',
        'examples/http-server.ts',
        'examples/testing/app.test.ts',
      ]) as string[],
    );
    expect(existsSync(join(PKG, 'docs', 'getting-started.md'))).toBe(true);
  });

  it('type-checks every snippet and every shipped example under strict, by the package name', () => {
    expect(typecheck).toBe('');
  });

  describe.concurrent.each(programs)('$where', (s) => {
    it('runs as pasted', async ({ skip }) => {
      if (s.flags.includes('compile-only'))
        skip('compile-only snippets need a service (a database, a server): compiled, not run');
      const { stdout, stderr } = await tsx([fileOf(s)]);
      expect(stderr).toBe('');
      if (s.output !== undefined) expect(trimEnd(stdout)).toBe(trimEnd(s.output));
    });
  });

  describe('every shipped example runs from node_modules', () => {
    const scripts = () =>
      // The top-level examples; examples/live/ needs PostgreSQL and runs as processes (its own
      // tests run it), and examples/testing/ runs under its test runners below.
      examples.filter((file) => /^examples\/[^/]+\.ts$/.test(file));

    it('examples/*.ts (the HTTP server until it listens)', async () => {
      const ran: string[] = [];
      for (const file of scripts()) {
        const path = join('node_modules', 'milestone-escrow', file);
        // Type-checked above; run against a schema of its own by test/postgres/example.test.ts
        // (run here, it would write a fixed job into the database's default schema each time).
        if (file === 'examples/postgres-quickstart.ts') continue;
        if (file === 'examples/http-server.ts') {
          expect(await listens(path)).toMatch(/listening on http:\/\/localhost:\d+/);
        } else {
          const { stderr } = await tsx([path]);
          expect(stderr, file).toBe('');
        }
        ran.push(file);
      }
      expect(ran).toEqual(
        expect.arrayContaining(['examples/logo-design.ts', 'examples/read-models.ts']) as string[],
      );
    });

    it('examples/testing: the vitest file and the node:test file pass', async () => {
      const vitest = join(APP, 'node_modules', 'vitest', 'vitest.mjs');
      await exec(process.execPath, [vitest, 'run', '--root', join(APP, 'examples', 'testing')], {
        cwd: APP,
        timeout: 120_000,
      });
      await exec(process.execPath, ['--test', join(PKG, 'examples', 'testing', 'node-test.mjs')], {
        cwd: APP,
        timeout: 60_000,
      });
    });
  });
});

describe('the PostgreSQL examples, from node_modules', () => {
  const url = process.env['DATABASE_URL'] ?? '';
  const noDatabase = 'DATABASE_URL is not set: the PostgreSQL examples were type-checked, not run';

  it('examples/postgres-quickstart.ts runs, and runs again (every command a replay)', async ({
    skip,
  }) => {
    if (url === '') skip(noDatabase);
    const schema = `packed_quickstart_${String(process.pid)}`;
    // The example's main block uses the default schema; a reader's driver names its own.
    writeFileSync(
      join(APP, 'quickstart-twice.ts'),
      [
        "import pg from 'pg';",
        "import { quickstart } from './node_modules/milestone-escrow/examples/postgres-quickstart.ts';",
        'const url = process.env.DATABASE_URL ?? "";',
        'try {',
        `  console.log(JSON.stringify(await quickstart(url, '${schema}')));`,
        `  console.log(JSON.stringify(await quickstart(url, '${schema}')));`,
        '} finally {',
        '  const pool = new pg.Pool({ connectionString: url, max: 1 });',
        `  await pool.query('DROP SCHEMA IF EXISTS "${schema}" CASCADE');`,
        '  await pool.end();',
        '}',
      ].join('\n'),
    );
    const { stdout, stderr } = await tsx(['quickstart-twice.ts']);
    expect(stderr).toBe('');
    const [first, second] = stdout.trim().split('\n');
    expect(JSON.parse(first ?? '{}')).toMatchObject({ status: 'in-progress', version: 5 });
    expect(second).toBe(first);
  });

  it('examples/live/marketplace.ts runs 12 jobs with 2 writers and exits 0', async ({ skip }) => {
    if (url === '') skip(noDatabase);
    const { stdout, stderr } = await exec(
      process.execPath,
      [
        '--import',
        'tsx',
        join('node_modules', 'milestone-escrow', 'examples', 'live', 'marketplace.ts'),
        '12',
        '2',
      ],
      { cwd: APP, timeout: 180_000 },
    );
    expect(stderr).toBe('');
    expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}')).toMatchObject({
      jobs: 12,
      notifications: { lost: 0 },
      readModel: { matchesFold: true },
      timerDoubleActs: 0,
    });
  });
});

/** Starts the HTTP example on a free port and resolves with what it printed once listening. */
function listens(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path], {
      cwd: APP,
      env: { ...process.env, PORT: '0' },
    });
    let out = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`no "listening" in 30 s: ${out}`));
    }, 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('listening')) {
        clearTimeout(timer);
        child.kill();
        resolve(out);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  });
}
