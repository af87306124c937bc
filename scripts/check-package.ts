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
 *
 * The checks live in scripts/check-package/ by what they check: tarball.ts (1–3), consumer.ts
 * (4 and 5), typescript.ts (4's TypeScript), release.ts (6 and 7); common.ts holds what they
 * share. This file runs them in order and prints the verdicts.
 */
import { rmSync } from 'node:fs';
import { state, work } from './check-package/common.js';
import { bin, esmAndCjs, installConsumer, withoutPeers } from './check-package/consumer.js';
import { changesets, size } from './check-package/release.js';
import { attw, pack, publint } from './check-package/tarball.js';
import { typescript } from './check-package/typescript.js';

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
    if (state.tarball === '' || (name.startsWith('consumer: npm install') && failed > 0)) break;
  }
}
if (failed === 0) rmSync(work, { recursive: true, force: true });
else console.log(`(kept ${work} to look into)`);
console.log(`\ncheck:package (${((performance.now() - started) / 1000).toFixed(1)} s)`);
console.log(`check:package: ${String(passed)} passed, ${String(failed)} failed`);
process.exitCode = failed === 0 ? 0 : 1;
