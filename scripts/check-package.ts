/*
 * `npm run check:package`: the package as a user gets it, checked from its packed tarball.
 *
 *  1. `npm pack`: the tarball holds `dist/`, `docs/*.md`, `examples/`, README.md, LICENSE,
 *     CHANGELOG.md and package.json only, and every file that `exports`, `bin`, `main` and `types` name;
 *  2. `publint --strict` on the tarball;
 *  3. `attw` (Are the types wrong?) on the tarball, every resolution mode: node10 (through
 *     `typesVersions`), node16 from CommonJS and from ESM, bundler;
 *  4. a scratch consumer in a temp dir installs the tarball (`npm install --prefer-offline`) and
 *     imports every subpath of `exports`: from ESM and CommonJS before any optional peer is
 *     installed (only the subpaths that need one may fail, and only for that one), then, with
 *     the optional peers linked from this project, from ESM, from CommonJS, and from TypeScript
 *     compiled with `moduleResolution: node16` (a .ts and a .cts file, checking every declaration
 *     file with `skipLibCheck: false`) and `bundler`;
 *  5. the `milestone-escrow` bin runs from that install (`npx milestone-escrow demo`);
 *  6. `size-limit`: each subpath within its budget (`.size-limit.js`), as README.md says;
 *  7. changesets: `changeset version` on a copy gives the next version and a CHANGELOG section
 *     holding every pending changeset (nothing here is versioned or published).
 *
 * The TypeScript compiler, `@types/node` and the optional peers (with their `@types`) come from this project's own
 * node_modules; the tarball's dependencies (immer, valibot) from the npm cache when it has them.
 * Needs a fresh `dist/` (`npm run build`, which `npm test` runs first). Ends with the plain
 * closing line `check:package: N passed, N failed`.
 */
import { execFileSync, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { previewRelease } from './changelog-preview.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'node_modules', '.bin');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

interface PackageJson {
  name: string;
  version: string;
  bin?: Record<string, string>;
  main?: string;
  module?: string;
  types?: string;
  exports: Record<string, string | Record<string, Record<string, string>>>;
  typesVersions?: Record<string, Record<string, string[]>>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  files?: string[];
  engines?: { node?: string };
  sideEffects?: boolean;
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
/** The code subpaths of `exports` (`.`, `./testing`, …), without `./package.json`. */
const SUBPATHS = Object.keys(pkg.exports).filter((subpath) => subpath !== './package.json');
/** A subpath that cannot load without an optional peer names it here. */
const NEEDS_PEER: Readonly<Record<string, string>> = { './postgres': 'pg' };
/** What the consumer links from this project's node_modules once it tests with the peers. */
const OPTIONAL_PEERS = Object.keys(pkg.peerDependenciesMeta ?? {}).filter(
  (name) => pkg.peerDependenciesMeta?.[name]?.optional === true,
);
const LINKED_FOR_TYPES = [
  'typescript',
  '@types/node',
  ...OPTIONAL_PEERS.map((name) => `@types/${name}`),
];

const specifier = (subpath: string): string =>
  subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;

function run(command: string, args: readonly string[], options: SpawnSyncOptions = {}): string {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
  const output = `${String(result.stdout)}${String(result.stderr)}`;
  if (result.error !== undefined) throw result.error;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${String(result.status)}\n${output}`);
  return String(result.stdout);
}

function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

// ---------------------------------------------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), 'milestone-escrow-check-'));
const consumer = join(work, 'consumer');
let tarball = '';
let packedFiles: string[] = [];

/**
 * Files a user needs: the build, the README, the licence, the changelog, the manifest, and what
 * the guides read and run (docs/*.md and examples/, so that every guide works from an install).
 */
const ALLOWED =
  /^(dist\/.+|docs\/[^/]+\.md|examples\/.+|README\.md|LICENSE|CHANGELOG\.md|package\.json)$/;

function pack(): string {
  for (const file of ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts']) {
    assert(existsSync(join(ROOT, file)), `${file} is missing: run npm run build first`);
  }
  // `prepack` builds first, and npm prints the build's output before the JSON: read from the
  // last line that opens the JSON array.
  const output = run('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT });
  const json = output.slice(Math.max(0, output.search(/^\[\s*$(?![\s\S]*^\[\s*$)/m)));
  const [packed] = JSON.parse(json) as [
    { filename: string; size: number; unpackedSize: number; files: { path: string }[] },
  ];
  tarball = join(work, packed.filename);
  packedFiles = packed.files.map((file) => file.path);
  const stray = packedFiles.filter((file) => !ALLOWED.test(file));
  assert(stray.length === 0, `files a user does not need are packed: ${stray.join(', ')}`);
  const named = [
    ...Object.values(pkg.exports).flatMap((target) =>
      typeof target === 'string'
        ? [target]
        : Object.values(target).flatMap((conditions) => Object.values(conditions)),
    ),
    ...Object.values(pkg.bin ?? {}),
    ...[pkg.main, pkg.module, pkg.types].filter((file): file is string => file !== undefined),
    ...Object.values(pkg.typesVersions ?? {}).flatMap((map) => Object.values(map).flat()),
  ].map((file) => file.replace(/^\.\//, ''));
  const missing = named.filter((file) => !packedFiles.includes(file));
  assert(missing.length === 0, `package.json names files the tarball lacks: ${missing.join(', ')}`);
  assert(pkg.sideEffects === false, 'sideEffects: false is missing');
  // node10 resolution (TypeScript's `moduleResolution: node`) knows no `exports`: typesVersions
  // points each subpath at its declarations.
  const typed = Object.keys(pkg.typesVersions?.['*'] ?? {});
  const untyped = SUBPATHS.filter(
    (subpath) => subpath !== '.' && !typed.includes(subpath.slice(2)),
  );
  assert(untyped.length === 0, `typesVersions lacks ${untyped.join(', ')}`);
  const nodeRange = pkg.engines?.node ?? '';
  const major = Number(/^>=\s*(\d+)/.exec(nodeRange)?.[1]);
  assert(
    Number.isInteger(major) && Number(process.versions.node.split('.')[0]) >= major,
    `engines.node "${nodeRange}" does not admit this Node ${process.version}`,
  );
  return `${packed.filename}: ${packedFiles.length} files, ${(packed.size / 1024).toFixed(1)} kB packed, ${(packed.unpackedSize / 1024).toFixed(1)} kB unpacked`;
}

function publint(): string {
  const out = run(join(BIN, 'publint'), ['--strict', tarball], { cwd: ROOT });
  assert(/All good!/.test(out), `publint found something:\n${out}`);
  return 'All good!';
}

function attw(): string {
  // Every resolution mode, node10 included: subpaths reach their types there through typesVersions.
  const out = run(join(BIN, 'attw'), ['--format', 'table-flipped', tarball], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  assert(/No problems found/.test(out), `attw found problems:\n${out}`);
  for (const subpath of Object.keys(pkg.exports)) {
    assert(out.includes(`"${specifier(subpath)}"`), `attw did not check ${specifier(subpath)}`);
  }
  return `no problems: ${Object.keys(pkg.exports).map(specifier).join(', ')} × node10, node16 (CJS), node16 (ESM), bundler`;
}

// ---------------------------------------------------------------------------------------------
// The scratch consumer.

const SMOKE_COMMAND = {
  type: 'AwardJob',
  actor: 'client-1',
  at: '2014-11-03T09:00:00Z',
  data: {
    jobId: 'job-1',
    title: 'Logo design',
    clientId: 'client-1',
    freelancerId: 'freelancer-1',
    currency: 'USD',
  },
};
/** What every consumer prints: the main entry decides, folds and summarises one command. */
const SMOKE_EXPECTED = { status: 'awarded', version: 1, currency: 'USD' };

/** A module that imports every loadable subpath and prints what each one exports. */
function probeSource(kind: 'esm' | 'cjs', subpaths: readonly string[]): string {
  const load =
    kind === 'esm'
      ? (s: string) => `await import(${JSON.stringify(s)})`
      : (s: string) => `require(${JSON.stringify(s)})`;
  const lines = [
    `const out = { exports: {}, failed: {} };`,
    ...subpaths.map(
      (subpath) =>
        `try { out.exports[${JSON.stringify(subpath)}] = Object.keys(${load(specifier(subpath))}).sort(); } catch (error) { out.failed[${JSON.stringify(subpath)}] = String(error && error.message).split('\\n')[0]; }`,
    ),
    kind === 'esm'
      ? `const pkg = (await import(${JSON.stringify(`${pkg.name}/package.json`)}, { with: { type: 'json' } })).default;`
      : `const pkg = require(${JSON.stringify(`${pkg.name}/package.json`)});`,
    `out.version = pkg.version;`,
    `const main = ${load(pkg.name)};`,
    `const summary = main.summarize(main.fold(main.decide(${JSON.stringify(SMOKE_COMMAND)}, main.initialState())));`,
    `out.smoke = { status: summary.status, version: summary.version, currency: summary.currency };`,
    `try { main.decide({ type: 'Nope' }, main.initialState()); } catch (error) { out.rejects = error instanceof main.DomainError && error.code; }`,
    `console.log(JSON.stringify(out));`,
  ];
  return `${lines.join('\n')}\n`;
}

interface Probe {
  exports: Record<string, string[]>;
  failed: Record<string, string>;
  version: string;
  smoke: unknown;
  rejects: unknown;
}

function probe(file: string): Probe {
  return JSON.parse(run(process.execPath, [file], { cwd: consumer })) as Probe;
}

function checkProbe(name: string, result: Probe, expectLoaded: readonly string[]): void {
  assert(result.version === pkg.version, `${name}: package.json version ${result.version}`);
  assert(
    JSON.stringify(result.smoke) === JSON.stringify(SMOKE_EXPECTED),
    `${name}: smoke ${JSON.stringify(result.smoke)}`,
  );
  assert(
    result.rejects === 'INVALID_INPUT',
    `${name}: an unknown command was not a DomainError INVALID_INPUT (${String(result.rejects)})`,
  );
  for (const subpath of expectLoaded) {
    assert(
      (result.exports[subpath]?.length ?? 0) > 0,
      `${name}: ${specifier(subpath)} did not load: ${result.failed[subpath] ?? 'no exports'}`,
    );
  }
}

let esmExports: Record<string, string[]> = {};

function installConsumer(): string {
  mkdirSync(consumer);
  writeFileSync(
    join(consumer, 'package.json'),
    `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', tarball],
    { cwd: consumer },
  );
  const installed = JSON.parse(
    readFileSync(join(consumer, 'node_modules', pkg.name, 'package.json'), 'utf8'),
  ) as PackageJson;
  assert(installed.version === pkg.version, `installed ${installed.version}`);
  const peers = OPTIONAL_PEERS.filter((name) => existsSync(join(consumer, 'node_modules', name)));
  assert(peers.length === 0, `optional peers were installed with the package: ${peers.join(', ')}`);
  // Nothing of the machine that built it: no absolute path of this checkout (source maps!).
  const here = ROOT.replace(/\/$/, '');
  const leaks = packedFiles.filter((file) =>
    readFileSync(join(consumer, 'node_modules', pkg.name, file), 'utf8').includes(here),
  );
  assert(leaks.length === 0, `files name the build machine's path ${here}: ${leaks.join(', ')}`);
  return `${pkg.name}@${installed.version} and its dependencies, no optional peer, no build path in any file`;
}

function withoutPeers(): string {
  const loadable = SUBPATHS.filter((subpath) => NEEDS_PEER[subpath] === undefined);
  for (const kind of ['esm', 'cjs'] as const) {
    const file = join(consumer, kind === 'esm' ? 'probe-bare.mjs' : 'probe-bare.cjs');
    writeFileSync(file, probeSource(kind, SUBPATHS));
    const result = probe(file);
    checkProbe(`${kind} without peers`, result, loadable);
    for (const [subpath, message] of Object.entries(result.failed)) {
      const peer = NEEDS_PEER[subpath];
      assert(
        peer !== undefined && message.includes(`'${peer}'`),
        `${kind}: ${specifier(subpath)} failed without peers: ${message}`,
      );
    }
  }
  return `${loadable.map(specifier).join(', ')} load from ESM and CommonJS without ${OPTIONAL_PEERS.join(', ') || 'optional peers'}`;
}

function linkFromProject(name: string): void {
  const from = join(ROOT, 'node_modules', name);
  const to = join(consumer, 'node_modules', name);
  if (!existsSync(from) || existsSync(to)) return;
  mkdirSync(dirname(to), { recursive: true });
  symlinkSync(from, to, 'dir');
}

function esmAndCjs(): string {
  for (const name of [...OPTIONAL_PEERS, ...LINKED_FOR_TYPES]) linkFromProject(name);
  const results: Record<string, Probe> = {};
  for (const kind of ['esm', 'cjs'] as const) {
    const file = join(consumer, kind === 'esm' ? 'probe.mjs' : 'probe.cjs');
    writeFileSync(file, probeSource(kind, SUBPATHS));
    results[kind] = probe(file);
    checkProbe(kind, results[kind], SUBPATHS);
  }
  esmExports = results['esm']?.exports ?? {};
  for (const subpath of SUBPATHS) {
    const esm = JSON.stringify(results['esm']?.exports[subpath]);
    const cjs = JSON.stringify(results['cjs']?.exports[subpath]);
    assert(
      esm === cjs,
      `${specifier(subpath)} exports differ between ESM and CommonJS:\nESM ${esm}\nCJS ${cjs}`,
    );
  }
  return SUBPATHS.map(
    (subpath) => `${specifier(subpath)} (${String(esmExports[subpath]?.length)} exports)`,
  ).join(', ');
}

/** A typed consumer: a type error anywhere (or an import typed `any`) fails the compile. */
function typedSource(kind: 'esm' | 'cjs'): string {
  const others = SUBPATHS.filter((subpath) => subpath !== '.');
  return [
    `import { decide, fold, summarize, initialState, DomainError, type JobCommand, type JobEvent, type JobStatus } from '${pkg.name}';`,
    ...others.map((subpath, i) => `import * as sub${String(i)} from '${specifier(subpath)}';`),
    ``,
    `const award: JobCommand = ${JSON.stringify(SMOKE_COMMAND)};`,
    `const events: JobEvent[] = decide(award, initialState());`,
    `const summary = summarize(fold(events));`,
    `const status: JobStatus = summary.status;`,
    `// @ts-expect-error: the declarations are real types, not \`any\`: no such command type`,
    `const wrong: JobCommand = { ...award, type: 'HireJob' };`,
    `let rejects: string | false = false;`,
    `try { decide(wrong, initialState()); } catch (error) { rejects = error instanceof DomainError && error.code; }`,
    `const loaded: Record<string, number> = { ${others.map((subpath, i) => `${JSON.stringify(subpath)}: Object.keys(sub${String(i)}).length`).join(', ')} };`,
    `console.log(JSON.stringify({ smoke: { status, version: summary.version, currency: summary.currency }, rejects, loaded, kind: ${JSON.stringify(kind)} }));`,
    ``,
  ].join('\n');
}

function compileAndRun(config: string, outputs: readonly string[]): void {
  run(process.execPath, [TSC, '-p', config], { cwd: consumer });
  for (const output of outputs) {
    const result = JSON.parse(run(process.execPath, [output], { cwd: consumer })) as {
      smoke: unknown;
      rejects: unknown;
      loaded: Record<string, number>;
    };
    assert(
      JSON.stringify(result.smoke) === JSON.stringify(SMOKE_EXPECTED),
      `${output}: smoke ${JSON.stringify(result.smoke)}`,
    );
    assert(result.rejects === 'INVALID_INPUT', `${output}: rejects ${String(result.rejects)}`);
    for (const [subpath, count] of Object.entries(result.loaded)) {
      assert(
        count === esmExports[subpath]?.length,
        `${output}: ${specifier(subpath)} has ${String(count)} exports`,
      );
    }
  }
}

const COMPILER = {
  strict: true,
  target: 'ES2022',
  lib: ['ES2023'],
  types: ['node'],
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
};

function typescript(): string {
  writeFileSync(join(consumer, 'consumer.ts'), typedSource('esm'));
  writeFileSync(join(consumer, 'consumer.cts'), typedSource('cjs'));
  writeFileSync(
    join(consumer, 'tsconfig.node16.json'),
    JSON.stringify({
      compilerOptions: {
        ...COMPILER,
        module: 'node16',
        moduleResolution: 'node16',
        outDir: 'out-node16',
        skipLibCheck: false,
      },
      files: ['consumer.ts', 'consumer.cts'],
    }),
  );
  writeFileSync(
    join(consumer, 'tsconfig.bundler.json'),
    JSON.stringify({
      compilerOptions: {
        ...COMPILER,
        module: 'preserve',
        moduleResolution: 'bundler',
        outDir: 'out-bundler',
        skipLibCheck: true,
      },
      files: ['consumer.ts'],
    }),
  );
  compileAndRun('tsconfig.node16.json', ['out-node16/consumer.js', 'out-node16/consumer.cjs']);
  compileAndRun('tsconfig.bundler.json', ['out-bundler/consumer.js']);
  const version = execFileSync(process.execPath, [TSC, '--version'], { encoding: 'utf8' }).trim();
  return `${version}: node16 (.ts as ESM, .cts as CommonJS; skipLibCheck: false) and bundler compile and run`;
}

function bin(): string {
  const names = Object.keys(pkg.bin ?? {});
  assert(names.length > 0, 'no bin');
  for (const name of names) {
    const out = run('npx', ['--no', name, 'demo'], {
      cwd: consumer,
      env: { ...process.env, NO_COLOR: '1' },
    });
    assert(/^Total: +\$400\.00$/m.test(out), `${name} demo printed:\n${out}`);
  }
  return `${names.map((name) => `npx ${name} demo`).join(', ')}: exit 0, Total: $400.00`;
}

function size(): string {
  const out = run(join(BIN, 'size-limit'), ['--json'], { cwd: ROOT });
  const checks = JSON.parse(out) as {
    name: string;
    passed: boolean;
    size: number;
    sizeLimit: number;
  }[];
  const failed = checks.filter((check) => !check.passed);
  assert(
    failed.length === 0,
    `over budget: ${failed.map((check) => `${check.name} ${String(check.size)} B > ${String(check.sizeLimit)} B`).join('; ')}`,
  );
  // The README says the budgets: each one must be in its Size section.
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Size'),
    readme.indexOf('\n## ', readme.indexOf('## Size') + 1),
  );
  const rows = section.split('\n').filter((line) => line.startsWith('|'));
  for (const check of checks) {
    const what = check.name.split(' ')[0] ?? '';
    const said = rows.some(
      (row) => row.includes(what) && row.includes(`| ${String(check.sizeLimit / 1000)} kB |`),
    );
    assert(
      said,
      `README.md's Size section does not say the budget of ${check.name} (${String(check.sizeLimit / 1000)} kB)`,
    );
  }
  return checks
    .map(
      (check) =>
        `${check.name}: ${(check.size / 1000).toFixed(2)} kB of ${(check.sizeLimit / 1000).toFixed(0)} kB`,
    )
    .join('; ');
}

function changesets(): string {
  const next = previewRelease();
  for (const file of next.changesets) {
    const text = readFileSync(join(ROOT, '.changeset', file), 'utf8');
    const firstLine = text.replace(/^---[\s\S]*?---\s*/, '').split('\n')[0] ?? '';
    assert(
      firstLine !== '' && next.changelog.includes(firstLine),
      `.changeset/${file} is not in the next CHANGELOG section`,
    );
  }
  assert(
    next.version !== pkg.version || next.changesets.length === 0,
    `changesets pending but the version stays ${pkg.version}`,
  );
  return `next release ${next.version}: its CHANGELOG section holds all ${String(next.changesets.length)} pending changesets (npm run changelog:preview)`;
}

// ---------------------------------------------------------------------------------------------

const steps: [string, () => string][] = [
  ['npm pack: only what a user needs', pack],
  ['publint --strict', publint],
  ['attw: every subpath × every resolution mode', attw],
  ['consumer: npm install the tarball', installConsumer],
  ['consumer: ESM and CommonJS without optional peers', withoutPeers],
  ['consumer: ESM and CommonJS, every subpath', esmAndCjs],
  ['consumer: TypeScript, moduleResolution node16 and bundler', typescript],
  ['consumer: the bin runs from the install', bin],
  ['size-limit: every subpath within budget, as the README says', size],
  ['changesets: the next version and its CHANGELOG', changesets],
];

let passed = 0;
let failed = 0;
const started = performance.now();
for (const [name, step] of steps) {
  const t0 = performance.now();
  try {
    const note = step();
    passed += 1;
    console.log(`✓ ${name} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n    ${note}`);
  } catch (error) {
    failed += 1;
    console.log(
      `✗ ${name} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n${String(error instanceof Error ? error.message : error).replace(/^/gm, '    ')}`,
    );
    if (tarball === '' || (name.startsWith('consumer: npm install') && failed > 0)) break;
  }
}
if (failed === 0) rmSync(work, { recursive: true, force: true });
else console.log(`(kept ${work} to look into)`);
console.log(`\ncheck:package (${((performance.now() - started) / 1000).toFixed(1)} s)`);
console.log(`check:package: ${String(passed)} passed, ${String(failed)} failed`);
process.exitCode = failed === 0 ? 0 : 1;
