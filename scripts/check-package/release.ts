/*
 * What the release promises: each subpath within its size budget, as README.md says, and the
 * next version's CHANGELOG section holding every pending changeset (items 6 and 7 of
 * scripts/check-package.ts's list).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { previewRelease } from '../changelog-preview.js';
import { assert, BIN, pkg, ROOT, run } from './common.js';

/** A budget in kB as the README's Size section writes it: 30200 B is "30.2", never rounded. */
const budgetKb = (bytes: number): string => String(bytes / 1000);

/** A subpath's size against its budget, the budget in kB as the README's Size section writes it. */
export function budgetLine(check: {
  readonly name: string;
  readonly size: number;
  readonly sizeLimit: number;
}): string {
  // Rounded to whole kB, a 30.2 kB budget read "30.09 kB of 30 kB": a pass that looked over.
  return `${check.name}: ${(check.size / 1000).toFixed(2)} kB of ${budgetKb(check.sizeLimit)} kB`;
}

export function size(): string {
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
      (row) => row.includes(what) && row.includes(`| ${budgetKb(check.sizeLimit)} kB |`),
    );
    assert(
      said,
      `README.md's Size section does not say the budget of ${check.name} (${budgetKb(check.sizeLimit)} kB)`,
    );
  }
  return checks.map(budgetLine).join('; ');
}

export function changesets(): string {
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
