import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './snippets.js';

/*
 * docs/extending.md is the map for adding a rule: it names the files to change and the helpers
 * in them. This keeps the names true: every path it names exists (`<slice>/…` in every slice),
 * every helper, type or constant it names in a code span is declared in the repository, and
 * every `npm run` script it names is one of package.json's. And it names every file a new command
 * or event must change for the compiler: each one that switches exhaustively over the command or
 * event types, or keys a table by every one of them (such a file it did not name, a newcomer met
 * only as a compiler error: the checker's kinds, the toolkit's random commands, the benchmarks'
 * folds). The rest of what a row lists is for the review (the page's trial says how it was
 * checked). And where it says where a name is, it is there: `A` in `B` (a file, a folder, or a
 * function or constant declared in the repository: its declaration holds A), and a table row
 * that names files holds the names its next cell gives (the walkthrough said
 * `requireWithinMilestoneCap` was in `propose` long after it had moved to `checkProposeTerms`).
 */

const page = readFileSync(join(ROOT, 'docs', 'extending.md'), 'utf8');
// Prose and tables only: the page's program is compiled and run by snippets.test.ts.
const prose = page.replace(/^```[\s\S]*?^```/gm, '');

/** The slices, one folder each under src/domain/ (shared/ and history/ are not slices). */
const SLICES = readdirSync(join(ROOT, 'src', 'domain'), { withFileTypes: true })
  .filter((e) => e.isDirectory() && e.name !== 'shared' && e.name !== 'history')
  .map((e) => e.name);

/**
 * Where a bare file name in the page is found: the page names most files inside the folder its
 * row or sentence is about (`decider.ts` in src/domain/, `ledger.ts` in src/projections/).
 */
const BASES = [
  '',
  'src/domain',
  'src/domain/history',
  'src/domain/job',
  'src/projections',
  'src/testing/script',
];

/** The names the page's trial made up and did not keep (`RenameJob` and its event). */
const MADE_UP = new Set(['RenameJob', 'JobRenamed', 'checkRenameJob', 'renamedAt']);

/** File paths and folders the page names: `a/b.ts`, `a/b/`, and backticked bare `b.ts`. */
function namedPaths(text: string): string[] {
  // A path ends at a space, a backtick, a bracket or punctuation (`given/when/then` is no path).
  const inPath =
    /(?:^|[\s`(])((?:\.?[\w@<>-]+\/)+(?:[\w.<>-]+\.(?:ts|md|js|mjs|json))?)(?=[\s`),.;:]|$)/g;
  const bare = /`([\w.-]+\.(?:ts|md|js|mjs|json))`/g;
  return [
    ...new Set([
      ...[...text.matchAll(inPath)].map((m) => String(m[1])),
      ...[...text.matchAll(bare)].map((m) => String(m[1])),
    ]),
  ];
}

function found(path: string): boolean {
  return BASES.some((base) => existsSync(join(ROOT, base, path)));
}

/** The source files under `dir` (relative to the root), with their text. */
function sources(dir: string): { readonly path: string; readonly text: string }[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mts|js|mjs)$/.test(e.name))
    .map((e) => {
      const full = join(e.parentPath, e.name);
      return { path: full.slice(ROOT.length + 1), text: readFileSync(full, 'utf8') };
    });
}

/** Code that a new command or event type does not compile without. */
const EVERY_TYPE = [
  /assertNever\((event|command)\b/, // an exhaustive switch's end
  /: never = (event|command)\b/, // the same, written out (the benchmarks' folds)
  /\[T in (JobCommandType|JobEventType|JobCommand\['type'\]|JobEvent\['type'\])\]/, // a table of every type
];

/** The ways the page may name a file: its path from the root or a base, or by its slice. */
function spellings(path: string): string[] {
  const names = [path, ...BASES.filter(Boolean).map((base) => path.replace(`${base}/`, ''))];
  const slice = new RegExp(`^src/domain/(history/)?(${SLICES.join('|')})(/|\\.ts$)`);
  const bySlice = path.replace(slice, (_, history: string | undefined, _s, end: string) =>
    history === undefined ? `<slice>${end}` : `history/<slice>${end}`,
  );
  if (bySlice !== path) names.push(bySlice.replace(/^src\/domain\//, ''));
  return names;
}

/** The files a path of the page stands for (`<slice>/` in every slice, a folder's files). */
function filesOf(path: string): string[] {
  const each = path.includes('<slice>')
    ? SLICES.map((slice) => path.replace('<slice>', slice))
    : [path];
  return each.flatMap((p) => {
    const base = BASES.find((b) => existsSync(join(ROOT, b, p)));
    if (base === undefined) return [];
    const full = join(ROOT, base, p);
    if (!statSync(full).isDirectory()) return [full];
    return sources(join(base, p)).map((file) => join(ROOT, file.path));
  });
}

const looksLikePath = (text: string): boolean => /\/|\.(ts|md|js|mjs|json)$/.test(text);
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** A bare name, or the name a call starts with: `milestoneToChange(working, id)`. */
const nameOf = (span: string): string | undefined =>
  /^([A-Za-z_$][\w$]*)(?:\(.*\))?$/.exec(span)?.[1];
const mentions = (text: string, name: string): boolean =>
  new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(text);

const declares = (text: string, name: string): boolean =>
  new RegExp(`(?:function\\*?|const|let|class|interface|type) ${name}(?![\\w$])`).test(text);

const CODE = ['src', 'test', 'bench', 'scripts'].flatMap(sources);

/**
 * The text of the top-level declaration of `name` in `text`, if any: a block (a function, a class,
 * an interface, an object) to its closing brace at a line's start, anything else (a type alias of
 * a union, a one-line constant) to the first line that ends in `;`. Read to the next closing brace
 * instead, a union type held every name declared after it up to the next block.
 */
function declarationIn(text: string, name: string): string | undefined {
  const start = new RegExp(
    `^(?:export )?(?:declare )?(?:async )?(?:function\\*? |const |let |class |interface |type )${name}\\b`,
    'm',
  );
  const at = text.search(start);
  if (at < 0) return undefined;
  const rest = text.slice(at);
  const firstLine = rest.split('\n', 1)[0] ?? '';
  // A block opens at the first line's end (`{`, or `(` / `[` of a call or a list spread over
  // lines); it closes on a line at the margin that starts with the closer and ends the statement
  // (`}`, `};`, `]);`, not a long signature's `): T {`).
  const block = /[{([]$/.test(firstLine.trimEnd());
  const end = block ? rest.search(/^[}\])](?:.*[;}])?$/m) : rest.search(/;$/m);
  if (end < 0) return rest;
  const close = rest.indexOf('\n', end);
  return close < 0 ? rest : rest.slice(0, close);
}

/** The text of each top-level declaration of `name` in the repository's code. */
function declarations(name: string): string[] {
  return CODE.flatMap(({ text }) => declarationIn(text, name) ?? []);
}

/** Where the page says what holds what: `A` (and `B`, …) in `C`, or in a path. */
function placements(text: string): { names: string[]; where: string; said: string }[] {
  const span = '`[^`\n]+`';
  const claim = new RegExp(
    `(${span}(?:(?:, | and | or )${span})*) in (?:\`([^\`\n]+)\`|([\\w./<>-]+\\.(?:ts|md|js)))`,
    'g',
  );
  return [...text.matchAll(claim)].map((m) => ({
    names: [...String(m[1]).matchAll(/`([^`\n]+)`/g)].map((n) => String(n[1])),
    where: String(m[2] ?? m[3]),
    said: m[0],
  }));
}

describe('docs/extending.md says where each name is, truly', () => {
  const claims = placements(prose);

  it('reads a declaration to its own end, not to the next block', () => {
    const text = [
      'export type Kind =',
      "  | 'a'",
      "  | 'b';",
      'export const ONE = 1;',
      'export function later(',
      '  x: number,',
      '): number {',
      '  return x + ONE;',
      '}',
      'export const TABLE = {',
      '  a: later,',
      '} as const;',
    ].join('\n');
    expect(declarationIn(text, 'Kind')).toBe("export type Kind =\n  | 'a'\n  | 'b';");
    expect(declarationIn(text, 'ONE')).toBe('export const ONE = 1;');
    expect(declarationIn(text, 'later')).toContain('return x + ONE;');
    expect(declarationIn(text, 'later')).not.toContain('TABLE');
    expect(declarationIn(text, 'TABLE')).toBe('export const TABLE = {\n  a: later,\n} as const;');
    expect(declarationIn(text, 'missing')).toBeUndefined();
  });

  it('finds what it checks', () => {
    expect(claims.length).toBeGreaterThan(8);
    expect(claims.map((c) => c.said)).toContain(
      '`requireWithinMilestoneCap` in `checkProposeTerms`',
    );
  });

  it.each(claims.map((c) => [c.said, c] as const))('%s', (_, { names, where }) => {
    if (looksLikePath(where)) {
      const files = filesOf(where);
      expect(files, `${where} is no file or folder`).not.toEqual([]);
      const text = files.map((f) => readFileSync(f, 'utf8')).join('\n');
      for (const name of names) {
        // A file in a folder (`timeline.ts` in `src/projections/`), or a name a file declares.
        if (looksLikePath(name)) expect(filesOf(join(where, name))).not.toEqual([]);
        else if (IDENTIFIER.test(name))
          expect(declares(text, name), `${name} is not declared in ${where}`).toBe(true);
      }
      return;
    }
    // In a function or a constant: its declaration holds the name.
    const bodies = declarations(where);
    expect(bodies, `${where} is declared nowhere`).not.toEqual([]);
    for (const name of names.filter((n) => IDENTIFIER.test(n)))
      expect(
        bodies.some((body) => mentions(body, name)),
        `${name} is not in ${where}`,
      ).toBe(true);
  });

  it('a table row that names files holds the names its next cell gives', () => {
    const rows = prose
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| ---'))
      .map((line) => line.slice(2, -2).split(' | '));
    const checked: string[] = [];
    const missing: string[] = [];
    for (const [first = '', second = ''] of rows) {
      const files = [...first.matchAll(/`([^`\n]+)`/g)].flatMap((m) => filesOf(String(m[1])));
      if (files.length === 0) continue;
      const text = files.map((f) => readFileSync(f, 'utf8')).join('\n');
      for (const [, span = ''] of second.matchAll(/`([^`\n]+)`/g)) {
        // A pattern (`freeze…Slice`) or a path is not a name; a snippet is held as written.
        if (span.includes('…') || looksLikePath(span)) continue;
        const name = nameOf(span);
        checked.push(span);
        if (name === undefined ? !text.includes(span) : !mentions(text, name))
          missing.push(`${first}: ${span}`);
      }
    }
    expect(checked.length).toBeGreaterThan(30);
    expect(missing).toEqual([]);
  });
});

describe('docs/extending.md names what exists', () => {
  it('finds what it checks (the map is not empty)', () => {
    expect(SLICES).toEqual(expect.arrayContaining(['job', 'terms', 'escrow']) as string[]);
    expect(namedPaths(prose).length).toBeGreaterThan(40);
  });

  it.each(namedPaths(prose).filter((p) => !/<(?!slice>)[^>]*>/.test(p)))('%s exists', (path) => {
    const each = path.includes('<slice>')
      ? SLICES.map((slice) => path.replace('<slice>', slice))
      : [path];
    expect(
      each.filter((p) => !found(p)),
      `not found under ${BASES.map((b) => b || '.').join(', ')}`,
    ).toEqual([]);
  });

  it('every name in a code span (a helper, a type, a constant) is declared in the repository', () => {
    const code = CODE.map((file) => file.text).join('\n');
    const spans = [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => String(m[1]));
    // A bare name, or the name a call starts with: `milestoneToChange(working, id)`.
    const names = spans
      .map((span) => /^([A-Za-z_$][\w$]*)(?:\(.*\))?$/.exec(span)?.[1])
      .filter((name): name is string => name !== undefined && !MADE_UP.has(name));
    expect(names.length).toBeGreaterThan(40);
    const missing = [...new Set(names)].filter(
      (name) => !new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(code),
    );
    expect(missing).toEqual([]);
  });

  it('names every file that switches over, or keys a table by, every command or event type', () => {
    const mustName = ['src', 'bench', 'scripts']
      .flatMap(sources)
      .filter(({ text }) => EVERY_TYPE.some((pattern) => pattern.test(text)))
      .map(({ path }) => path);
    expect(mustName).toEqual(
      expect.arrayContaining(['src/domain/decider.ts', 'src/projections/ledger.ts']) as string[],
    );
    expect(
      mustName.filter((path) => !spellings(path).some((name) => prose.includes(name))),
    ).toEqual([]);
  });

  it('every `npm run` script it names is in package.json', () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const named = [...page.matchAll(/npm run ([\w:-]+)/g)].map((m) => String(m[1]));
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((name) => !(name in scripts))).toEqual([]);
  });
});
