import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCommandHandler } from 'milestone-escrow';
import { describeEventStoreContract } from 'milestone-escrow/store';
import { FileEventStore } from '../../examples/file-event-store.js';
import { award } from '../app/histories.js';

// #region contract
describeEventStoreContract(
  'examples/file-event-store.ts',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'file-store-'));
    return {
      store: await FileEventStore.open(join(dir, 'events.ndjson')),
      close: () => rm(dir, { recursive: true, force: true }),
    };
  },
  { describe, it, expect },
);
// #endregion contract

describe('the file store', () => {
  it('keeps events and idempotency keys across a reopen', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'file-store-'));
    try {
      const file = join(dir, 'events.ndjson');
      const first = await createCommandHandler({ store: await FileEventStore.open(file) }).handle(
        'job-1',
        award(),
        { idempotencyKey: 'k' },
      );
      const reopened = createCommandHandler({ store: await FileEventStore.open(file) });
      expect((await reopened.load('job-1')).state).toEqual(first.state);
      expect((await reopened.handle('job-1', award(), { idempotencyKey: 'k' })).replayed).toBe(
        true,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
