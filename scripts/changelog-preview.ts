/*
 * `npm run changelog:preview`: what the next release will be. Runs `changeset version` on a copy
 * of package.json and .changeset/ in a temp dir (this checkout is left as it is) and prints the
 * version and the CHANGELOG.md section it would write. `npm run check:package` runs it too, and
 * fails unless every pending changeset is in that section.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface NextRelease {
  readonly version: string;
  /** The section of CHANGELOG.md for this version. */
  readonly changelog: string;
  /** The pending changesets' file names. */
  readonly changesets: readonly string[];
}

export function previewRelease(): NextRelease {
  const dir = mkdtempSync(join(tmpdir(), 'milestone-escrow-release-'));
  try {
    cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    cpSync(join(ROOT, '.changeset'), join(dir, '.changeset'), { recursive: true });
    if (existsSync(join(ROOT, 'CHANGELOG.md')))
      cpSync(join(ROOT, 'CHANGELOG.md'), join(dir, 'CHANGELOG.md'));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const changesets = readdirSync(join(ROOT, '.changeset')).filter(
      (file) => file.endsWith('.md') && file !== 'README.md',
    );
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules', '@changesets', 'cli', 'bin.js'), 'version'],
      { cwd: dir, stdio: 'pipe' },
    );
    const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      version: string;
    };
    const full = readFileSync(join(dir, 'CHANGELOG.md'), 'utf8');
    const start = full.indexOf(`## ${version}`);
    const end = full.indexOf('\n## ', start + 1);
    return {
      version,
      changelog: full.slice(start, end === -1 ? undefined : end).trim(),
      changesets,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const next = previewRelease();
  console.log(`next release: ${next.version} (${String(next.changesets.length)} changesets)\n`);
  console.log(next.changelog);
}
