/*
 * What is in the tarball: `npm pack` holds only what a user needs and every file package.json
 * names; publint and attw find nothing (items 1–3 of scripts/check-package.ts's list).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { assert, BIN, pkg, ROOT, run, specifier, state, SUBPATHS, work } from './common.js';

/**
 * Files a user needs: the build, the README, the licence, the changelog, the manifest, and what
 * the guides read and run (docs/*.md and examples/, so that every guide works from an install).
 */
const ALLOWED =
  /^(dist\/.+|docs\/[^/]+\.md|examples\/.+|README\.md|LICENSE|CHANGELOG\.md|package\.json)$/;

export function pack(): string {
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
  state.tarball = join(work, packed.filename);
  state.packedFiles = packed.files.map((file) => file.path);
  const stray = state.packedFiles.filter((file) => !ALLOWED.test(file));
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
  const missing = named.filter((file) => !state.packedFiles.includes(file));
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
  return `${packed.filename}: ${state.packedFiles.length} files, ${(packed.size / 1024).toFixed(1)} kB packed, ${(packed.unpackedSize / 1024).toFixed(1)} kB unpacked`;
}

export function publint(): string {
  const out = run(join(BIN, 'publint'), ['--strict', state.tarball], { cwd: ROOT });
  assert(/All good!/.test(out), `publint found something:\n${out}`);
  return 'All good!';
}

export function attw(): string {
  // Every resolution mode, node10 included: subpaths reach their types there through typesVersions.
  const out = run(join(BIN, 'attw'), ['--format', 'table-flipped', state.tarball], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  assert(/No problems found/.test(out), `attw found problems:\n${out}`);
  for (const subpath of Object.keys(pkg.exports)) {
    assert(out.includes(`"${specifier(subpath)}"`), `attw did not check ${specifier(subpath)}`);
  }
  return `no problems: ${Object.keys(pkg.exports).map(specifier).join(', ')} × node10, node16 (CJS), node16 (ESM), bundler`;
}
