import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * Docs cannot rot: a code block preceded by `<!-- snippet: examples/FILE.ts#REGION -->` must be
 * exactly that region of that file (between `// #region REGION` and `// #endregion REGION`),
 * and the examples are run by their own tests.
 */

const root = join(import.meta.dirname, '..', '..');
const MARK = /<!-- snippet: ([^#\s]+)#([\w-]+) -->\s*\n```\w*\n([\s\S]*?)```/g;

function region(file: string, name: string): string {
  const text = readFileSync(join(root, file), 'utf8');
  const start = text.indexOf(`// #region ${name}\n`);
  const end = text.indexOf(`// #endregion ${name}`);
  if (start === -1 || end === -1) throw new Error(`${file} has no region ${name}`);
  return text.slice(start + `// #region ${name}\n`.length, end);
}

describe('doc snippets match their example files', () => {
  const pages = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md'));
  for (const page of pages) {
    const text = readFileSync(join(root, 'docs', page), 'utf8');
    for (const [, file, name, code] of text.matchAll(MARK)) {
      it(`docs/${page}: ${String(file)}#${String(name)}`, () => {
        expect(code).toBe(region(String(file), String(name)));
      });
    }
  }
});
