import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/*
 * The code blocks of the documentation, found as a reader meets them: every ```ts (or
 * ```typescript) block of README.md and docs/*.md, and every such block in a TSDoc `@example` in
 * src/. test/docs/snippets.test.ts checks each one (see there for the rules).
 */

export const ROOT = join(import.meta.dirname, '..', '..');

/** A TypeScript code block of the docs. */
export interface Snippet {
  /** `docs/app.md:262` or `src/domain/decider.ts:120`: where the block's fence opens. */
  readonly where: string;
  /** The block's code, without the fences or their indentation. */
  readonly code: string;
  /** Words after the language in the fence's info string (`compile-only`). */
  readonly flags: readonly string[];
  /** `<!-- snippet: FILE#REGION -->` (or `<!-- region REGION of FILE -->`) just before the block. */
  readonly region?: { readonly file: string; readonly name: string };
  /** The ```text block after `<!-- output -->` just after the block: what the program prints. */
  readonly output?: string;
}

const FENCE = /^( *)(`{3,})(\w+)?([^\n`]*)\n([\s\S]*?)^\1\2[ \t]*$/gm;
const TS = new Set(['ts', 'typescript', 'mts']);
const REGION_BEFORE =
  /(?:<!-- snippet: ([^#\s]+)#([\w-]+) -->|<!-- region ([\w-]+) of (\S+) -->)\s*$/;
const OUTPUT_OPEN = /^\s*<!-- output -->[ \t]*\n( *)```(?:text|txt)?\n/;

/** The text of the ```text block right after `<!-- output -->` at the start of `rest`, if any. */
function outputAfter(rest: string): string | undefined {
  const open = OUTPUT_OPEN.exec(rest);
  if (open === null) return undefined;
  const indent = open[1] ?? '';
  const close = rest.indexOf(`\n${indent}\`\`\``, open[0].length - 1);
  if (close === -1) throw new Error('an <!-- output --> block is not closed');
  return dedent(rest.slice(open[0].length, close + 1), indent.length);
}

function dedent(text: string, indent: number): string {
  return text
    .split('\n')
    .map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)))
    .join('\n');
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** The TypeScript blocks of one Markdown text. */
export function markdownSnippets(file: string, text: string): Snippet[] {
  const found: Snippet[] = [];
  for (const match of text.matchAll(FENCE)) {
    const [whole, indent = '', , lang = '', info = '', body = ''] = match;
    if (!TS.has(lang)) continue;
    const start = match.index;
    const region = REGION_BEFORE.exec(text.slice(Math.max(0, start - 300), start));
    const output = outputAfter(text.slice(start + whole.length));
    found.push({
      where: `${file}:${String(lineOf(text, start))}`,
      code: dedent(body, indent.length),
      flags: info.trim().split(/\s+/).filter(Boolean),
      ...(region === null
        ? {}
        : {
            region:
              region[1] !== undefined
                ? { file: region[1], name: String(region[2]) }
                : { file: String(region[4]), name: String(region[3]) },
          }),
      ...(output === undefined ? {} : { output }),
    });
  }
  return found;
}

/** The TypeScript blocks of one source file's doc comments (`@example`s and any other). */
export function tsdocSnippets(file: string, text: string): Snippet[] {
  const found: Snippet[] = [];
  for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    if (!comment[0].includes('```')) continue;
    const lines = comment[0].split('\n');
    // Strip the comment's frame (` * `), keeping the line count so that positions stay right.
    const inner = lines
      .map((line) =>
        line
          .replace(/^\s*\/\*\*\s?/, '')
          .replace(/\s*\*\/\s*$/, '')
          .replace(/^\s*\* ?/, ''),
      )
      .join('\n');
    const firstLine = lineOf(text, comment.index);
    for (const snippet of markdownSnippets(file, inner)) {
      const line = Number(snippet.where.slice(file.length + 1)) + firstLine - 1;
      found.push({ ...snippet, where: `${file}:${String(line)}` });
    }
  }
  return found;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? walk(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** The Markdown pages whose code blocks are checked. */
export function pages(): string[] {
  return [
    'README.md',
    ...readdirSync(join(ROOT, 'docs'))
      .filter((file) => file.endsWith('.md'))
      .map((file) => `docs/${file}`),
  ];
}

/** Every TypeScript block of README.md, docs/*.md and the TSDoc of src/. */
export function allSnippets(): Snippet[] {
  return [
    ...pages().flatMap((page) => markdownSnippets(page, readFileSync(join(ROOT, page), 'utf8'))),
    ...walk(join(ROOT, 'src')).flatMap((file) =>
      tsdocSnippets(relative(ROOT, file), readFileSync(file, 'utf8')),
    ),
  ];
}

/** The region `name` of a file: the lines between `// #region name` and `// #endregion name`, dedented. */
export function region(file: string, name: string): string {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const match = new RegExp(
    `^([ \\t]*)// #region ${name}\\n([\\s\\S]*?)^[ \\t]*// #endregion ${name}\\s*$`,
    'm',
  ).exec(text);
  if (match === null) throw new Error(`${file} has no region ${name}`);
  return dedent(match[2] ?? '', (match[1] ?? '').length);
}
