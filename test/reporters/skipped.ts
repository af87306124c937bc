import { relative } from 'node:path';
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node';

/*
 * `npm test` ends with what it skipped and why: the default reporter's summary only counts skips,
 * and a skip notice printed while the files run (the PostgreSQL one) scrolls away long before the
 * summary. Runs after the default reporter (vitest.config.ts lists it second), so these are the
 * run's last lines. A skip says why with `ctx.skip(note)`; skips without a note are grouped by
 * folder and name their suites instead.
 */

interface Group {
  readonly where: string;
  readonly tests: TestCase[];
}

/** The folder of a test file, relative to the root, or the file itself when it is alone there. */
function folderOf(module: TestModule, root: string): string {
  const path = relative(root, module.moduleId);
  return path.slice(0, path.lastIndexOf('/') + 1) || './';
}

/** Why a group was skipped: the notes its tests gave, else the names of its skipped suites. */
export function reasonOf(tests: readonly TestCase[]): string {
  const notes = new Set<string>();
  for (const test of tests) {
    const result = test.result();
    if (result.state === 'skipped' && result.note !== undefined) notes.add(result.note);
  }
  if (notes.size > 0) return [...notes].join('; ');
  const suites = new Set(tests.map((test) => test.fullName.split(' > ')[0] ?? test.name));
  const names = [...suites].slice(0, 3).join('", "');
  return `no reason given (skipIf/skip without a note): "${names}"${suites.size > 3 ? ', …' : ''}`;
}

/** The skipped tests of a run, grouped by folder, in a stable order. */
export function skippedGroups(modules: readonly TestModule[], root: string): Group[] {
  const groups = new Map<string, TestCase[]>();
  for (const module of modules)
    for (const test of module.children.allTests('skipped')) {
      if (test.options.mode === 'todo') continue;
      const where = folderOf(module, root);
      groups.set(where, [...(groups.get(where) ?? []), test]);
    }
  return [...groups]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([where, tests]) => ({ where, tests }));
}

export default class SkippedReporter implements Reporter {
  private root = process.cwd();

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
  }

  onTestRunEnd(modules: readonly TestModule[]): void {
    const groups = skippedGroups(modules, this.root);
    if (groups.length === 0) {
      process.stdout.write('\n Skipped: nothing.\n');
      return;
    }
    const total = groups.reduce((n, g) => n + g.tests.length, 0);
    const lines = [``, ` Skipped: ${total} test${total === 1 ? '' : 's'}, and why:`];
    for (const { where, tests } of groups)
      lines.push(`   ${where} (${tests.length}): ${reasonOf(tests)}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
