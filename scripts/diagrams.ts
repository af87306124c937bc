/*
 * `npm run docs:diagrams`: redraws the diagrams drawn from the decider (test/docs/lifecycles.ts and
 * dispute-lifecycle.ts
 * walks through it): the state diagrams of docs/domain.md and the money flow of README.md,
 * between their `<!-- diagram: NAME -->` markers. test/docs/diagrams.test.ts fails while a page
 * and the decider disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIAGRAM_BLOCK, DIAGRAM_PAGES, diagrams } from '../test/docs/drawings.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const drawn = diagrams();
for (const page of new Set(Object.values(DIAGRAM_PAGES))) {
  const file = join(root, page);
  const text = readFileSync(file, 'utf8');
  let count = 0;
  const next = text.replace(
    DIAGRAM_BLOCK,
    (_whole, open: string, name: string, _old: string, close: string) => {
      const diagram = (drawn as Record<string, string | undefined>)[name];
      if (diagram === undefined) throw new Error(`${page}: no diagram named ${name}`);
      count += 1;
      return `${open}${diagram}${close}`;
    },
  );
  writeFileSync(file, next);
  console.log(
    `${page}: ${String(count)} diagrams ${next === text ? 'already up to date' : 'redrawn'}`,
  );
}
