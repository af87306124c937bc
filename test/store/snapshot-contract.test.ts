import { describe, expect, it } from 'vitest';
import { describeSnapshotStoreContract } from '../../src/store/index.js';
import { createInMemorySnapshotStore } from '../../src/store/snapshots.js';

describeSnapshotStoreContract(
  'in-memory (keep: 3, the default)',
  () => Promise.resolve({ store: createInMemorySnapshotStore(), keep: 3 }),
  { describe, it, expect },
);

describeSnapshotStoreContract(
  'in-memory, keep: 1',
  () => Promise.resolve({ store: createInMemorySnapshotStore({ keep: 1 }), keep: 1 }),
  { describe, it, expect },
);
