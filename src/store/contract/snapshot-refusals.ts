/*
 * The snapshots every snapshot store refuses (the contract's "bad input" cases,
 * src/store/contract/snapshots.ts): each is INVALID_INPUT at its path, and nothing is kept.
 */

const cyclic: Record<string, unknown> = {};
cyclic['self'] = cyclic;
export const throwing = (key: string): object =>
  Object.defineProperty({}, key, {
    enumerable: true,
    get() {
      throw new Error('getter');
    },
  });

/** Snapshots every store refuses, as `[what, fields over a valid one, the error's path]`. */
export const REFUSED_SNAPSHOTS: readonly (readonly [string, Record<string, unknown>, string])[] = [
  ['a stream id with a lone surrogate', { streamId: 'job-\ud800' }, 'snapshot.streamId'],
  ['a stream id with U+0000', { streamId: 'job-\u0000' }, 'snapshot.streamId'],
  ['a stream id of 256 characters', { streamId: 'x'.repeat(256) }, 'snapshot.streamId'],
  ['a stream id that is a number', { streamId: 7 }, 'snapshot.streamId'],
  ['a version of NaN', { version: Number.NaN }, 'snapshot.version'],
  ['a version of -1', { version: -1 }, 'snapshot.version'],
  ['a version of 1.5', { version: 1.5 }, 'snapshot.version'],
  ['a version of 2^31', { version: 2 ** 31 }, 'snapshot.version'],
  ['a version that is a string', { version: '8' }, 'snapshot.version'],
  ['a snapshotVersion with U+0000', { snapshotVersion: 'v\u0000' }, 'snapshot.snapshotVersion'],
  [
    'a snapshotVersion with a lone surrogate',
    { snapshotVersion: 'v\udc00' },
    'snapshot.snapshotVersion',
  ],
  ['a snapshotVersion that is a number', { snapshotVersion: 6 }, 'snapshot.snapshotVersion'],
  ['an empty snapshotVersion', { snapshotVersion: '' }, 'snapshot.snapshotVersion'],
  [
    'a snapshotVersion of 201 characters',
    { snapshotVersion: 'v'.repeat(201) },
    'snapshot.snapshotVersion',
  ],
  ['a takenAt with U+0000', { takenAt: '\u0000' }, 'snapshot.takenAt'],
  ['a takenAt that is a number', { takenAt: 5 }, 'snapshot.takenAt'],
  ['a takenAt that is not an instant', { takenAt: 'later' }, 'snapshot.takenAt'],
  ['a takenAt without a zone', { takenAt: '2026-01-02T03:04:05' }, 'snapshot.takenAt'],
  [
    'a takenAt on a day that does not exist',
    { takenAt: '2026-02-30T03:04:05Z' },
    'snapshot.takenAt',
  ],
  [
    'an instant followed by 1,000 spaces as takenAt',
    { takenAt: `2026-01-02T03:04:05Z${' '.repeat(1000)}` },
    'snapshot.takenAt',
  ],
  [
    'idempotency records with a BigInt',
    { idempotency: [{ key: 'k', from: 1n }] },
    'snapshot.idempotency',
  ],
  [
    'idempotency records with U+0000',
    { idempotency: [{ key: 'k\u0000' }] },
    'snapshot.idempotency',
  ],
  ['cyclic idempotency records', { idempotency: [cyclic] }, 'snapshot.idempotency'],
  ['a state with a BigInt', { state: { amount: 10n } }, 'snapshot.state'],
  ['a cyclic state', { state: cyclic }, 'snapshot.state'],
  ['a state whose getter throws', { state: throwing('job') }, 'snapshot.state'],
];
