import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { commandsOf, microsoftAccessScript } from '../../src/testing/seed.js';
import { expectSeedAccessJob } from '../docs/seed-job.js';

/*
 * The examples write the seed's Access job out in full (they read whole as printed in the guides
 * and do not import the seed); this holds them to its one version in src/testing/seed.ts. Each
 * example runs as a reader runs it, with `milestone-escrow` resolved to a copy whose `decide`
 * also writes down every command it accepts, so the test reads the story the example told.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'seed-jobs-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const PACKAGE = pathToFileURL(join(ROOT, 'dist', 'index.js')).href;
const RECORDING = pathToFileURL(join(dir, 'recording.mjs')).href;
writeFileSync(
  join(dir, 'recording.mjs'),
  [
    `import { writeFileSync } from 'node:fs';`,
    `import { decide as decideOnly } from ${JSON.stringify(PACKAGE)};`,
    `export * from ${JSON.stringify(PACKAGE)};`,
    `const accepted = [];`,
    `export function decide(command, state) {`,
    `  const events = decideOnly(command, state);`,
    `  accepted.push(command);`,
    `  return events;`,
    `}`,
    `process.on('exit', () => writeFileSync(process.env.ACCEPTED_COMMANDS, JSON.stringify(accepted)));`,
  ].join('\n'),
);
writeFileSync(
  join(dir, 'hooks.mjs'),
  [
    `export async function resolve(specifier, context, next) {`,
    `  if (specifier === 'milestone-escrow') return { url: ${JSON.stringify(RECORDING)}, shortCircuit: true };`,
    `  return next(specifier, context);`,
    `}`,
  ].join('\n'),
);
writeFileSync(
  join(dir, 'register.mjs'),
  `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`,
);

/** The commands `decide` accepted while the example ran. */
function acceptedBy(example: string): unknown[] {
  const out = join(dir, `${example}.json`);
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      pathToFileURL(join(dir, 'register.mjs')).href,
      `examples/${example}`,
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, ACCEPTED_COMMANDS: out },
    },
  );
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8')) as unknown[];
}

describe('the examples tell the seed’s Access job', () => {
  it('microsoft-access.ts: the seed’s story, command for command, up to the job in progress', () => {
    const told = acceptedBy('microsoft-access.ts');
    const seed = commandsOf(microsoftAccessScript());
    expect(told.length).toBeGreaterThan(5);
    expect(told).toEqual(seed.slice(0, told.length));
    expectSeedAccessJob(told, false);
  });

  it('dispute.ts: the seed’s job (ids, terms, cast) on the seed’s marketplace', () => {
    expectSeedAccessJob(acceptedBy('dispute.ts'), true);
  });
});
