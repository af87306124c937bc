/*
 * The scratch consumer: installs the tarball, imports every subpath from ESM and CommonJS
 * without the optional peers and with them, and runs the bin (items 4, but its TypeScript, and 5
 * of scripts/check-package.ts's list).
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  assert,
  consumer,
  LINKED_FOR_TYPES,
  NEEDS_PEER,
  OPTIONAL_PEERS,
  type PackageJson,
  pkg,
  ROOT,
  run,
  specifier,
  state,
  SUBPATHS,
} from './common.js';

export const SMOKE_COMMAND = {
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
export const SMOKE_EXPECTED = { status: 'awarded', version: 1, currency: 'USD' };

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

export function installConsumer(): string {
  mkdirSync(consumer);
  writeFileSync(
    join(consumer, 'package.json'),
    `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', state.tarball],
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
  const leaks = state.packedFiles.filter((file) =>
    readFileSync(join(consumer, 'node_modules', pkg.name, file), 'utf8').includes(here),
  );
  assert(leaks.length === 0, `files name the build machine's path ${here}: ${leaks.join(', ')}`);
  return `${pkg.name}@${installed.version} and its dependencies, no optional peer, no build path in any file`;
}

export function withoutPeers(): string {
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

export function esmAndCjs(): string {
  for (const name of [...OPTIONAL_PEERS, ...LINKED_FOR_TYPES]) linkFromProject(name);
  const results: Record<string, Probe> = {};
  for (const kind of ['esm', 'cjs'] as const) {
    const file = join(consumer, kind === 'esm' ? 'probe.mjs' : 'probe.cjs');
    writeFileSync(file, probeSource(kind, SUBPATHS));
    results[kind] = probe(file);
    checkProbe(kind, results[kind], SUBPATHS);
  }
  state.esmExports = results['esm']?.exports ?? {};
  for (const subpath of SUBPATHS) {
    const esm = JSON.stringify(results['esm']?.exports[subpath]);
    const cjs = JSON.stringify(results['cjs']?.exports[subpath]);
    assert(
      esm === cjs,
      `${specifier(subpath)} exports differ between ESM and CommonJS:\nESM ${esm}\nCJS ${cjs}`,
    );
  }
  return SUBPATHS.map(
    (subpath) => `${specifier(subpath)} (${String(state.esmExports[subpath]?.length)} exports)`,
  ).join(', ');
}

export function bin(): string {
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
