import { readFileSync } from 'node:fs';

/**
 * The package's version, for `milestone-escrow --version`: read from the package's own
 * package.json, the nearest one above this module named milestone-escrow (`dist/` in an install,
 * `src/cli/` in a clone run by tsx), so it is the version npm installed, never a copy of it.
 */
export function packageVersion(): string {
  let dir = new URL('./', import.meta.url);
  for (let up = 0; up < 4; up++) {
    dir = new URL('../', dir);
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'milestone-escrow' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // No package.json here (or not ours): look one folder up.
    }
  }
  return 'unknown (no package.json of milestone-escrow above the program)';
}
