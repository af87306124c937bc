/*
 * `npm run docs:sync`: rewrites every quoted block of README.md and docs/*.md
 * (`<!-- snippet: FILE#REGION -->` before a fenced block) to the region's current text, so a
 * reformatted or edited example is quoted again without copying by hand. The docs test checks
 * the same quotations (test/docs/snippets.test.ts); this only writes them.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { region, ROOT } from '../test/docs/snippets.js';

const QUOTE =
  /(<!-- snippet: ([^#\s]+)#([\w-]+) -->|<!-- region ([\w-]+) of (\S+) -->)(\s*\n)( *)(`{3,})([^\n]*)\n([\s\S]*?)^\7\8[ \t]*$/gm;

const pages = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];
let changed = 0;
for (const page of pages) {
  const path = join(ROOT, page);
  const text = readFileSync(path, 'utf8');
  const next = text.replace(
    QUOTE,
    (
      _whole,
      marker: string,
      f1?: string,
      r1?: string,
      r2?: string,
      f2?: string,
      gap = '',
      indent = '',
      fence = '',
      info = '',
    ) => {
      const file = f1 ?? f2 ?? '';
      const name = r1 ?? r2 ?? '';
      const body = region(file, name)
        .replace(/\s+$/, '')
        .split('\n')
        .map((line) => (line === '' ? '' : `${String(indent)}${line}`))
        .join('\n');
      return `${marker}${gap}${indent}${fence}${info}\n${body}\n${indent}${fence}`;
    },
  );
  if (next !== text) {
    writeFileSync(path, next);
    changed += 1;
    console.log(`updated ${page}`);
  }
}
console.log(`${changed} page(s) updated`);
