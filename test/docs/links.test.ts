import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pages, ROOT } from './snippets.js';

/*
 * Every relative link of README.md and docs/*.md leads to a file that exists, and to a heading of
 * it; and, since the package ships README.md, docs/*.md and examples/ (there is no public remote
 * to link to, docs/decisions.md says why), to a file the package ships too: the links work in
 * node_modules/milestone-escrow and in the registry's file browser.
 */

/** Folders only a clone has: a link into one must say so in its text ("in a clone"). */
const CLONE_ONLY = ['bench/', 'test/', 'src/', 'scripts/'];

/** The files `npm pack` would ship (without building: `npm test` has built dist/ already). */
function packedFiles(): Set<string> {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const [packed] = JSON.parse(out) as [{ files: { path: string }[] }];
  return new Set(packed.files.map((file) => file.path));
}

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

describe('links from the installed package', () => {
  const shipped = packedFiles();
  it.each(pages())('%s is shipped, and so is every file it links to', (page) => {
    expect(shipped.has(page), `${page} is in the package`).toBe(true);
    const text = readFileSync(join(ROOT, page), 'utf8').replace(/^ *```[\s\S]*?^ *```/gm, '');
    const dead = text.split('\n').flatMap((line) =>
      [...line.matchAll(/\]\(([^)\s#]+)[^)\s]*\)/g)]
        .map((m) => String(m[1]))
        .filter((link) => !/^[a-z]+:/.test(link))
        .map((link) => normalize(join(dirname(page), link)))
        .filter((path) => !shipped.has(path))
        // A link into a clone-only folder is fine when its line says it is for a clone.
        .filter(
          (path) => !(CLONE_ONLY.some((dir) => path.startsWith(dir)) && /in a clone/.test(line)),
        ),
    );
    expect(dead, 'links to files the package does not ship').toEqual([]);
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
