import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/*
 * The bin's last-resort catch (session 15), given something thrown that `String()` cannot print:
 * it threw a TypeError of its own (exit 1 and Node's trace) instead of reporting an internal error.
 */

const BIN = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

beforeAll(() => {
  if (!existsSync(BIN))
    throw new Error(`${BIN} is missing: run \`npm run build\` first (npm test does)`);
});

describe("the bin's last-resort catch (an internal error)", () => {
  // A preload that makes every write to standard output throw `thrown` (a JavaScript expression).
  const run = (thrown: string) =>
    spawnSync(
      process.execPath,
      [
        '--import',
        `data:text/javascript,process.stdout.write = () => { throw ${encodeURIComponent(thrown)}; };`,
        BIN,
        'demo',
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );

  for (const [what, thrown] of [
    ['an object without a prototype', 'Object.create(null)'],
    ['an object whose toString throws', '{ toString() { throw new Error("no text") } }'],
    [
      'a revoked proxy',
      '(() => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; })()',
    ],
  ] as const)
    it(`${what}: exit 70 and one line saying so, not a TypeError`, () => {
      const { status, stderr } = run(thrown);
      expect(stderr).toBe(
        'milestone-escrow: internal error (please report it): a thrown value that cannot be printed\n',
      );
      expect(status).toBe(70);
    });

  it('an Error: its stack, exit 70', () => {
    const { status, stderr } = run('new Error("disk on fire")');
    expect(stderr).toMatch(
      /^milestone-escrow: internal error \(please report it\): Error: disk on fire\n {4}at /,
    );
    expect(status).toBe(70);
  });
});
