import { describe, expect, it } from 'vitest';
import { isDomainError, type JobEvent } from '../../src/index.js';
import { replay } from '../../src/replay/fold.js';
import { loadJob } from '../../src/handler/load.js';
import { createInMemoryEventStore } from '../../src/store/memory.js';
import { projectAll, summaryProjection } from '../../src/projections/index.js';
import { cli, demoEvents } from '../cli/support.js';

/*
 * Every reader of a stored history reads schemaVersion 1 (today's, for every type) as current and
 * refuses a version newer than it knows (docs/app.md, "Adding an upcaster"): the CLI's replay and
 * the projections' default decode read such an event as if it were today's shape.
 */

const events = demoEvents
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as JobEvent);
interface Stored {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: { readonly schemaVersion: number; readonly streamId: string };
}
const versioned = (schemaVersion: number): Stored[] =>
  events.map((e, i) => ({
    ...e,
    metadata: {
      schemaVersion: i === 1 ? schemaVersion : 1,
      streamId: 'job-logo-2014',
    },
  }));
const NEWER = 'TermsProposed v2 was written by a newer app: this one reads up to v1';

async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('no error');
}

describe('an event of a future schemaVersion, in every reader', () => {
  it('the CLI replay: v1 lines are current; a v2 line is line N: INVALID_INPUT, nothing printed', async () => {
    const ndjson = (v: number) =>
      versioned(v)
        .map((e) => `${JSON.stringify(e)}\n`)
        .join('');
    const ok = await cli(['replay', '-', '--json'], ndjson(1));
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(await cli(['replay', '-'], ndjson(2))).toEqual({
      code: 1,
      stdout: '',
      stderr: `line 2: INVALID_INPUT: ${NEWER}\n`,
    });
  });

  it('projectAll (the default decode): v1 is current; v2 is INVALID_INPUT', async () => {
    expect(projectAll(summaryProjection, versioned(1)).get('job-logo-2014')?.version).toBe(26);
    const error = await failure(() => projectAll(summaryProjection, versioned(2)));
    expect(isDomainError(error) && [error.code, error.message]).toEqual(['INVALID_INPUT', NEWER]);
  });

  it('replay and loadJob agree: v1 is current; v2 is INVALID_INPUT', async () => {
    expect((await replay(versioned(1), { verify: true })).position).toBe(26);
    const error = await failure(() => replay(versioned(2), { verify: true }));
    expect(isDomainError(error) && error.code).toBe('INVALID_INPUT');
    const store = createInMemoryEventStore();
    const stored = versioned(2).map(({ type, data, metadata }) => ({
      type,
      data,
      metadata: { schemaVersion: metadata.schemaVersion },
    }));
    await store.appendToStream('job-logo-2014', stored, {
      expectedVersion: 'no-stream',
    });
    const loaded = await failure(() => loadJob(store, 'job-logo-2014'));
    expect(isDomainError(loaded) && loaded.code).toBe('INVALID_INPUT');
  });
});
