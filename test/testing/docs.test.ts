import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * docs/testing.md quotes tested files: each ```ts block that follows a marker
 * `<!-- snippet: FILE#REGION -->` must be that region of FILE, word for word, so the docs
 * cannot drift from code that runs.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string): string => readFileSync(`${root}/${path}`, 'utf8');

function region(source: string, name: string): string {
  const start = source.indexOf(`// #region ${name}\n`);
  const end = source.indexOf(`// #endregion ${name}`);
  if (start < 0 || end < 0) throw new Error(`no region ${name}`);
  return source.slice(start + `// #region ${name}\n`.length, end).trimEnd();
}

describe('docs/testing.md', () => {
  const doc = read('docs/testing.md');
  const snippets = [
    ...doc.matchAll(/<!-- snippet: (\S+)#(\S+) -->\n```(?:ts|js)\n([\s\S]*?)\n```/g),
  ];

  it('has its snippets', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(4);
  });

  it.each(snippets.map((m) => [`${m[1] ?? ''}#${m[2] ?? ''}`, m[1] ?? '', m[2] ?? '', m[3] ?? '']))(
    '%s is quoted word for word',
    (_, file, name, text) => {
      expect(text).toBe(region(read(file), name));
    },
  );
});
