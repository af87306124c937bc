import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as pkg from '../../src/index.js';
import * as projections from '../../src/projections/index.js';
import { ERROR_CODES } from '../../src/index.js';
import { ROOT } from './snippets.js';

/*
 * The two pictures of docs/app.md (the command → events → store → projections flow, and the
 * handler's load/decide/append/retry loop) cannot be drawn from a walk as the state diagrams are,
 * so they name the code instead: every function, option, store method and error code a label
 * names must exist, and the loop's order must be the handler's own (a renamed or removed piece
 * fails here, so the picture is redrawn with it).
 */

const page = readFileSync(join(ROOT, 'docs', 'app.md'), 'utf8');
const handlerDir = join(ROOT, 'src', 'handler');
const handlerFiles = readdirSync(handlerDir)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => readFileSync(join(handlerDir, file), 'utf8'));
const handlers = handlerFiles.join('\n');
/** The file of `handle(jobId, command, options)` itself. */
const handler = handlerFiles.find((text) => text.includes('async function handle(')) ?? '';
const port = readFileSync(join(ROOT, 'src', 'store', 'port.ts'), 'utf8');

function diagram(name: string): string {
  const match = new RegExp(`<!-- diagram: ${name} -->\\n\`\`\`mermaid\\n([\\s\\S]*?)\`\`\``).exec(
    page,
  );
  expect(match, `docs/app.md has the ${name} diagram`).not.toBeNull();
  return match?.[1] ?? '';
}

/** The code names of a diagram's labels: camelCase or PascalCase words, and UPPER_CASE codes. */
function names(text: string): { code: string[]; errors: string[] } {
  const labels = [...text.matchAll(/"([^"]*)"/g)].map((m) => String(m[1])).join(' ');
  const words = [...labels.matchAll(/\b[A-Za-z_][A-Za-z0-9_]*\b/g)].map((m) => m[0]);
  return {
    code: [...new Set(words.filter((w) => /^[a-z]+[A-Z]\w*$|^[A-Z][a-z]+[A-Z]\w*$/.test(w)))],
    errors: [...new Set(words.filter((w) => /^[A-Z]+(_[A-Z]+)+$/.test(w)))],
  };
}

// The read models the diagram names are on milestone-escrow/projections.
const exported = new Set([...Object.keys(pkg), ...Object.keys(projections)]);
const known = (name: string): boolean =>
  exported.has(name) ||
  new RegExp(`\\b${name}\\b`).test(port) ||
  new RegExp(`\\b${name}\\b`).test(handlers);

describe('the diagrams of docs/app.md name code that exists', () => {
  it.each(['app-flow', 'handler-loop'])(
    '%s: every name is an export, a store method, an option or a code',
    (name) => {
      const { code, errors } = names(diagram(name));
      expect(code.length).toBeGreaterThan(3);
      expect(code.filter((word) => !known(word))).toEqual([]);
      expect(errors.filter((word) => !(ERROR_CODES as readonly string[]).includes(word))).toEqual(
        [],
      );
    },
  );

  it("handler-loop: the handler validates, loads, checks the key, decides and appends in the picture's order", () => {
    // Each step as the handler's body writes it (helpers may be renamed: the words stay).
    const body = handler.slice(handler.indexOf('async function handle('));
    const steps = [
      /parseCommand\(/,
      /\blatest\(/,
      /\.idempotency\b/,
      /\bdecide\w*\(/,
      /\bappend\w*\(/,
    ];
    const at = steps.map((step) => body.search(step));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(handlers).toMatch(/CONCURRENCY_CONFLICT/);
  });
});
