import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * The subpath as users get it (from dist/, built by `npm test` before vitest runs): pg is an
 * optional peer, the main entry never loads it, and `milestone-escrow/postgres` loads in ESM and
 * CommonJS and shares the main entry's DomainError. No database needed.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const built = existsSync(`${root}dist/postgres.js`);
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  exports: Record<string, unknown>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};

const node = (args: string[]): string =>
  execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();

describe('milestone-escrow/postgres as a package', () => {
  it('declares pg an optional peer dependency and exports the subpath for import and require', () => {
    expect(pkg.peerDependencies?.['pg']).toBeDefined();
    expect(pkg.peerDependenciesMeta?.['pg']?.optional).toBe(true);
    expect(pkg.exports['./postgres']).toEqual({
      import: { types: './dist/postgres.d.ts', default: './dist/postgres.js' },
      require: { types: './dist/postgres.d.cts', default: './dist/postgres.cjs' },
    });
  });

  it.runIf(built)('the main entry loads without pg', () => {
    const loaded = node([
      '-e',
      "require('milestone-escrow'); console.log(Object.keys(require.cache).filter((f) => /node_modules[\\\\/]pg[\\\\/]/.test(f)).length)",
    ]);
    expect(loaded).toBe('0');
    for (const file of ['index.js', 'index.cjs']) {
      expect(readFileSync(`${root}dist/${file}`, 'utf8')).not.toMatch(
        /from ["']pg["']|require\(["']pg["']\)/,
      );
    }
  });

  it.runIf(built)(
    'the subpath loads in ESM and CommonJS and throws the main entry’s DomainError',
    () => {
      const probe = (main: string, postgres: string) => `
      const store = ${postgres}.createPostgresEventStore({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
      store.appendToStream('job-1', [], { expectedVersion: 'latest' }).catch(async (e) => {
        console.log(e instanceof ${main}.DomainError, e.code);
        await store.close();
      });`;
      expect(
        node(['-e', probe("require('milestone-escrow')", "require('milestone-escrow/postgres')")]),
      ).toBe('true INVALID_INPUT');
      expect(
        node([
          '--input-type=module',
          '-e',
          `const main = await import('milestone-escrow'); const pgStore = await import('milestone-escrow/postgres'); ${probe('main', 'pgStore')}`,
        ]),
      ).toBe('true INVALID_INPUT');
    },
  );
});
