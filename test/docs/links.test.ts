import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pages, ROOT } from './snippets.js';

/* Every relative link of README.md and docs/*.md leads to a file that exists, and to a heading of it. */

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(String(m[1]))));
}

describe.each(pages())('%s', (page) => {
  const text = readFileSync(join(ROOT, page), 'utf8').replace(/^ *```[\s\S]*?^ *```/gm, '');
  const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => String(m[1]))
    .filter((link) => !/^[a-z]+:/.test(link));
  it.each(links.length > 0 ? links : ['(none)'])('links to %s', (link) => {
    if (link === '(none)') return;
    const [path = '', anchor] = link.split('#');
    const target = path === '' ? join(ROOT, page) : normalize(join(ROOT, dirname(page), path));
    expect(existsSync(target), `${link} exists`).toBe(true);
    if (anchor !== undefined && target.endsWith('.md'))
      expect([...anchors(target)]).toContain(anchor);
  });
});

describe('docs/decisions.md', () => {
  it('lists every page that has a Decisions section', () => {
    const decisions = readFileSync(join(ROOT, 'docs', 'decisions.md'), 'utf8');
    const withDecisions = pages().filter(
      (page) =>
        page !== 'docs/decisions.md' &&
        /^## Decisions$/m.test(readFileSync(join(ROOT, page), 'utf8')),
    );
    expect(withDecisions.length).toBeGreaterThan(0);
    for (const page of withDecisions)
      expect(decisions).toContain(`](${page.replace(/^docs\//, '')}#decisions)`);
  });
});
