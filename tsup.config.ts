import { readdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { defineConfig } from 'tsup';

/**
 * tsup's CommonJS code splitting maps each .cjs file to itself by its absolute path (in `sources`
 * and `file`): make those relative, so that no path of the machine that built the package ships in it.
 */
async function relativeMapSources(): Promise<void> {
  for (const file of await readdir('dist')) {
    if (!file.endsWith('.map')) continue;
    const path = join('dist', file);
    const map = JSON.parse(await readFile(path, 'utf8')) as { sources: string[]; file?: string };
    if (!map.sources.some((source) => isAbsolute(source)) && !isAbsolute(map.file ?? '')) continue;
    map.sources = map.sources.map((source) =>
      isAbsolute(source) ? relative('dist', source) : source,
    );
    if (map.file !== undefined && isAbsolute(map.file)) map.file = relative('dist', map.file);
    await writeFile(path, JSON.stringify(map));
  }
}

export default defineConfig([
  {
    // `testing`, `postgres` and `store` share the domain's chunk with `index`, in CJS too (`splitting`),
    // so that one DomainError class serves every entry point and instanceof holds across subpaths.
    entry: {
      index: 'src/index.ts',
      testing: 'src/testing/index.ts',
      postgres: 'src/postgres/index.ts',
      store: 'src/store/index.ts',
      projections: 'src/projections/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    external: ['immer', 'valibot', 'pg', 'fast-check'],
    splitting: true,
    onSuccess: relativeMapSources,
  },
  {
    // The bin: ESM only, with its shebang kept by tsup.
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    target: 'node20',
    external: ['immer', 'valibot'],
  },
]);
