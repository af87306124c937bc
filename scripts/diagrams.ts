/*
 * `npm run docs:diagrams`: redraws the state diagrams of docs/domain.md from the transitions the
 * decider makes (test/docs/lifecycles.ts walks through it), between their `<!-- diagram: NAME -->`
 * markers. test/docs/diagrams.test.ts fails while the page and the decider disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIAGRAM_BLOCK, DIAGRAM_PAGE, diagrams } from '../test/docs/lifecycles.js';

const file = join(fileURLToPath(new URL('..', import.meta.url)), DIAGRAM_PAGE);
const drawn = diagrams();
const page = readFileSync(file, 'utf8');
let count = 0;
const next = page.replace(
  DIAGRAM_BLOCK,
  (_whole, open: string, name: string, _old: string, close: string) => {
    const diagram = (drawn as Record<string, string | undefined>)[name];
    if (diagram === undefined) throw new Error(`${DIAGRAM_PAGE}: no diagram named ${name}`);
    count += 1;
    return `${open}${diagram}${close}`;
  },
);
writeFileSync(file, next);
console.log(
  `${DIAGRAM_PAGE}: ${String(count)} diagrams ${next === page ? 'already up to date' : 'redrawn'}`,
);
