import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold, isDomainError } from '../../src/index.js';
import { jobStateShape } from '../../src/domain/state.js';
import { count, record, shapeFingerprint, text } from '../../src/domain/shared/shape.js';
import { jobSliceShape } from '../../src/domain/job/state.js';
import { termsSliceShape } from '../../src/domain/terms/state.js';
import { escrowSliceShape } from '../../src/domain/escrow/state.js';
import {
  deserializeState,
  JOB_SNAPSHOT_SHAPE,
  JOB_SNAPSHOT_VERSION,
  serializeState,
  snapshotData,
  stateFromJson,
} from '../../src/store/snapshots.js';
import { histories } from '../app/histories.js';

// Every snapshot version released and the shape it was given to. A new shape of the state needs
// a new line here, under a new version: snapshots of the old shape are then ignored, not misread.
const RELEASED_SHAPES: Readonly<Record<string, string>> = {
  'job-state@4': 'b8b86a37',
  'job-state@5': '576b6cfe', // the award's maxMilestones
  'job-state@6': 'd2952b32', // part two: disputes, review clocks, settled milestones, fees, the last instant
};

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isDomainError(error) ? error.code : `not a DomainError: ${String(error)}`;
  }
  return undefined;
}

describe('the snapshot format', () => {
  it('the state shape has not changed without a snapshot version bump', () => {
    expect(
      shapeFingerprint(jobStateShape),
      `the state's shape changed (${jobStateShape.describe}): bump JOB_SNAPSHOT_VERSION, pin the new fingerprint in JOB_SNAPSHOT_SHAPE and add both to RELEASED_SHAPES`,
    ).toBe(JOB_SNAPSHOT_SHAPE);
    expect(
      RELEASED_SHAPES[JOB_SNAPSHOT_VERSION],
      'a new shape needs a new JOB_SNAPSHOT_VERSION, not a new pin under the old one',
    ).toBe(JOB_SNAPSHOT_SHAPE);
  });

  it('a changed shape has another fingerprint', () => {
    const changed = record({
      version: count,
      job: jobSliceShape,
      terms: termsSliceShape,
      escrow: escrowSliceShape,
      extra: text,
    });
    expect(shapeFingerprint(changed)).not.toBe(shapeFingerprint(jobStateShape));
  });

  it('snapshots store plain data: tables as [id, value] pairs and id lists, not the in-memory tries', () => {
    const { events } = fc.sample(histories(40), { numRuns: 1, seed: 5 })[0]!;
    const state = fold(events);
    const data = JSON.parse(serializeState(state)) as {
      shape: string;
      escrow: { milestones: [string, { funded: number }][]; fundingIds: string[] };
      terms: { proposalIds: string[] };
    };
    expect(data.shape).toBe(JOB_SNAPSHOT_SHAPE);
    const funded = data.escrow.milestones.reduce((sum, [, m]) => sum + m.funded, 0);
    expect(funded).toBe(state.escrow.totals.funded);
    expect(data.escrow.fundingIds.every((id) => typeof id === 'string')).toBe(true);
    expect(data.terms.proposalIds.every((id) => typeof id === 'string')).toBe(true);
    expect(snapshotData(data as never)).toBe(data);
  });

  it('property: a state read back from its data in any order of its tables is equal in content', () => {
    fc.assert(
      fc.property(histories(30), ({ events }) => {
        const state = fold(events);
        const data = JSON.parse(serializeState(state)) as {
          escrow: { milestones: unknown[]; fundingIds: unknown[] };
        };
        data.escrow.milestones.reverse();
        data.escrow.fundingIds.reverse();
        const back = stateFromJson(data);
        // The in-memory layout may differ; the data (sorted) and every reading agree.
        const sorted = (s: string) =>
          JSON.stringify(JSON.parse(s), (_, v: unknown) =>
            Array.isArray(v) && v.every((x) => Array.isArray(x) || typeof x === 'string')
              ? [...(v as unknown[])].sort((a, b) =>
                  JSON.stringify(a) < JSON.stringify(b) ? -1 : 1,
                )
              : v,
          );
        expect(sorted(serializeState(back))).toBe(sorted(serializeState(state)));
      }),
      { numRuns: 50 },
    );
  });

  it('data of another shape, or not of the state shape, is INVALID_INPUT, never a TypeError', () => {
    const { events } = fc.sample(histories(20), { numRuns: 1, seed: 9 })[0]!;
    const good = JSON.parse(serializeState(fold(events))) as Record<string, unknown>;
    const bad: unknown[] = [
      { ...good, shape: 'ffffffff' },
      { ...good, version: -1 },
      { ...good, job: null },
      { ...good, terms: { ...(good['terms'] as object), active: 5 } },
      { ...good, escrow: { ...(good['escrow'] as object), milestones: [['m1']] } },
      { ...good, escrow: { ...(good['escrow'] as object), fundingIds: ['f1', 'f1'] } },
      { ...good, extra: 1 },
      { shape: JOB_SNAPSHOT_SHAPE },
      { version: 1, job: null, terms: 5, escrow: [] },
    ];
    for (const value of bad) {
      expect(codeOf(() => stateFromJson(value))).toBe('INVALID_INPUT');
      expect(codeOf(() => deserializeState(JSON.stringify(value)))).toBe('INVALID_INPUT');
      // The same data as JSON text (as a database store hands a snapshot over): the same answer.
      expect(codeOf(() => stateFromJson(JSON.stringify(value)))).toBe('INVALID_INPUT');
    }
    for (const text of ['', 'not json', '"a string"', '[1,2]', 'null', '{"version":'])
      expect(codeOf(() => stateFromJson(text))).toBe('INVALID_INPUT');
  });

  it('property: a state read back from its JSON text is the state read back from its data, frozen', () => {
    fc.assert(
      fc.property(histories(30), ({ events }) => {
        const state = fold(events);
        const text = serializeState(state);
        const fromText = stateFromJson(text);
        expect(serializeState(fromText)).toBe(text);
        expect(fromText).toEqual(stateFromJson(JSON.parse(text)));
        expect(Object.isFrozen(fromText) && Object.isFrozen(fromText.escrow)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it("a malformed snapshot's INVALID_INPUT names the part that is wrong (details.path)", () => {
    const { events } = fc.sample(histories(40), { numRuns: 1, seed: 5 })[0]!;
    interface Data {
      job: Record<string, unknown>;
      escrow: {
        milestones: [unknown, { fundings: Record<string, unknown>[] }][];
        fundingIds: unknown[];
      };
    }
    const good = JSON.parse(serializeState(fold(events))) as Data;
    const funded = good.escrow.milestones.findIndex(([, m]) => m.fundings.length > 0);
    expect(funded).toBeGreaterThanOrEqual(0);
    const wrong = (change: (data: Data) => void): unknown => {
      const data = structuredClone(good);
      change(data);
      try {
        stateFromJson(data);
      } catch (error) {
        if (isDomainError(error)) return { path: error.details.path, message: error.message };
        throw error;
      }
      return 'read back';
    };
    const fundings = `state.escrow.milestones.${String(funded)}.1.fundings`;
    expect(
      wrong((d) => {
        d.escrow.milestones[funded]![1].fundings[0]!['amount'] = -1;
      }),
    ).toEqual({
      path: `${fundings}.0.amount`,
      message: `a snapshot's ${fundings}.0.amount must be count`,
    });
    expect(
      wrong((d) => {
        delete d.escrow.milestones[funded]![1].fundings[0]!['source'];
      }),
    ).toEqual({
      path: `${fundings}.0.source`,
      message: `a snapshot's ${fundings}.0.source must be text`,
    });
    expect(
      wrong((d) => {
        d.escrow.milestones[funded]![1].fundings[0]!['extra'] = 1;
      }),
    ).toMatchObject({ path: `${fundings}.0` });
    expect(
      wrong((d) => {
        d.escrow.milestones.push(d.escrow.milestones[0]!);
      }),
    ).toMatchObject({ path: `state.escrow.milestones.${String(good.escrow.milestones.length)}` });
    expect(
      wrong((d) => {
        d.escrow.milestones[0] = ['m-x'] as never;
      }),
    ).toEqual({
      path: 'state.escrow.milestones.0',
      message: "a snapshot's state.escrow.milestones.0 must be an [id, value] pair",
    });
    expect(
      wrong((d) => {
        d.escrow.fundingIds[0] = 7;
      }),
    ).toEqual({
      path: 'state.escrow.fundingIds.0',
      message: "a snapshot's state.escrow.fundingIds.0 must be an id",
    });
    expect(
      wrong((d) => {
        d.job = 5 as never;
      }),
    ).toEqual({ path: 'state.job', message: "a snapshot's state.job must be an object" });
  });
});
