import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixture/', import.meta.url));
const vitest = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));

it("npm test's last lines say what was skipped and why, after the summary", async () => {
  const { stdout } = await run(process.execPath, [vitest, 'run', '--root', fixture], {
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  const lines = stdout.trimEnd().split('\n');
  expect(lines.slice(-2)).toEqual([
    ' Skipped: 3 tests, and why:',
    '   ./ (3): the service this needs is not running',
  ]);
  expect(stdout.indexOf('Skipped: 3 tests')).toBeGreaterThan(stdout.indexOf('Test Files'));
});
