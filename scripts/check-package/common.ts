/*
 * What every check of `npm run check:package` (scripts/check-package.ts) shares: the project's
 * paths and package.json, the temp dir with the scratch consumer, what one step leaves for the
 * next (the tarball, its files, the ESM exports), and the run and assert helpers.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'node_modules', '.bin');
export const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

export interface PackageJson {
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

export const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
/** The code subpaths of `exports` (`.`, `./testing`, …), without `./package.json`. */
export const SUBPATHS = Object.keys(pkg.exports).filter((subpath) => subpath !== './package.json');
/** A subpath that cannot load without an optional peer names it here. */
export const NEEDS_PEER: Readonly<Record<string, string>> = { './postgres': 'pg' };
/** What the consumer links from this project's node_modules once it tests with the peers. */
export const OPTIONAL_PEERS = Object.keys(pkg.peerDependenciesMeta ?? {}).filter(
  (name) => pkg.peerDependenciesMeta?.[name]?.optional === true,
);
export const LINKED_FOR_TYPES = [
  'typescript',
  '@types/node',
  ...OPTIONAL_PEERS.map((name) => `@types/${name}`),
];

export const specifier = (subpath: string): string =>
  subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;

export function run(
  command: string,
  args: readonly string[],
  options: SpawnSyncOptions = {},
): string {
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

export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

export const work = mkdtempSync(join(tmpdir(), 'milestone-escrow-check-'));
export const consumer = join(work, 'consumer');

/** What a step leaves for the later ones. */
export const state = {
  /** The packed tarball's path (`''` until `npm pack` ran). */
  tarball: '',
  /** The files in the tarball. */
  packedFiles: [] as string[],
  /** Every subpath's exports, as the ESM consumer loaded them. */
  esmExports: {} as Record<string, string[]>,
};
