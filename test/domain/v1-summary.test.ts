/*
 * Part two keeps every v1 behaviour (spec §7–§11: "every v1 history and command file means what
 * it meant before"): v1 histories fold to the same v1 summary fields as before.
 *
 * The oracle is the library as it was before part two, not a model of it: v1-goldens.ndjson holds
 * 40 histories written by that library's own script writer from fixed seeds, with that library's
 * `summarize` of each (scripts/v1-goldens.ts made them, once, from main's last commit before part
 * two, 9e92e78). Today's summary, cut down to the fields the old one had, must equal it field for
 * field; what part two adds must be its defaults. The property below adds another view on
 * histories decided today from part one's commands (test/app/histories.ts): written as a v1
 * library wrote them (no policy, no fee), they read exactly as written today (the default policy
 * whole, every release with fee 0), so no summary field depends on whether part two's fields are
 * there. What neither proves: v1 histories unlike both corpora (the goldens are 40; the property
 * draws part one's commands on four milestone ids).
 */
import { readFileSync } from 'node:fs';
import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { fold, summarize, verifyHistory, type JobEvent } from '../../src/index.js';
import { histories } from '../app/histories.js';
import { numRuns } from './prop-support.js';

interface Golden {
  readonly seed: number;
  readonly events: readonly JobEvent[];
  readonly summary: Record<string, unknown>;
}
const goldens = readFileSync(new URL('v1-goldens.ndjson', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as Golden);

/** `now` cut down to `was`'s fields, recursively (lists element by element, extra elements kept). */
function fieldsOf(now: unknown, was: unknown): unknown {
  if (Array.isArray(was) && Array.isArray(now))
    return now.map((item: unknown, i) => fieldsOf(item, was[i]));
  if (typeof was !== 'object' || was === null || typeof now !== 'object' || now === null)
    return now;
  const fields = now as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(was).map((key) => [
      key,
      fieldsOf(fields[key], (was as Record<string, unknown>)[key]),
    ]),
  );
}

describe('v1 histories fold to the same v1 summary fields as before part two', () => {
  it.each(goldens.map((g) => [g.seed, g] as const))(
    'golden history %i: still a valid history, with the v1 summary the pre-part-two library gave',
    (_seed, golden) => {
      const state = verifyHistory(golden.events);
      expect(fieldsOf(summarize(state), golden.summary)).toEqual(golden.summary);
    },
  );

  it.each(goldens.map((g) => [g.seed, g] as const))(
    'golden history %i: what part two adds is its defaults (no fee, no dispute, the platform "platform")',
    (_seed, golden) => {
      const summary = summarize(fold(golden.events));
      expect(summary).toMatchObject({
        platformId: 'platform',
        policy: { reviewDays: 14, disputeResponseDays: 7, serviceFeeBps: 0 },
        totals: { fees: 0 },
      });
      for (const m of summary.milestones) expect(m).toMatchObject({ fees: 0, dispute: null });
      expect(summary.deadlines.every((d) => d.kind === 'review')).toBe(true);
    },
  );

  it('the goldens are not trivial: releases, refunds of every kind, every job status', () => {
    const events = goldens.flatMap((g) => g.events);
    const statuses = new Set(goldens.map((g) => g.summary['status']));
    expect([...statuses].sort()).toEqual(['awarded', 'closed', 'completed', 'in-progress']);
    expect(events.filter((e) => e.type === 'FundsReleased').length).toBeGreaterThan(20);
    const reasons = new Set(
      events.flatMap((e) => (e.type === 'FundsRefunded' ? [e.data.reason] : [])),
    );
    expect(reasons.size).toBeGreaterThanOrEqual(4);
  });
});

const DEFAULTS = { reviewDays: 14, disputeResponseDays: 7, serviceFeeBps: 0 };

/** Part one's events only, under the default policy, no fee on any release, no platform named. */
function isPartOne(events: readonly JobEvent[]): boolean {
  const V1 = new Set([
    'JobAwarded',
    'TermsProposed',
    'TermsAccepted',
    'TermsDeclined',
    'TermsWithdrawn',
    'MilestoneFunded',
    'FundsReleased',
    'FundsRefunded',
    'WorkSubmitted',
    'ChangesRequested',
    'JobClosed',
  ]);
  return events.every(
    (e) =>
      V1.has(e.type) &&
      !(
        e.type === 'JobAwarded' &&
        (e.data.platformId !== undefined ||
          JSON.stringify(e.data.policy) !== JSON.stringify(DEFAULTS))
      ) &&
      !(e.type === 'FundsReleased' && e.data.fee !== 0),
  );
}

/** The history as a v1 library wrote it: no policy on the award, no fee on a release. */
function asV1(events: readonly JobEvent[]): JobEvent[] {
  return events.map((e): JobEvent => {
    if (e.type === 'JobAwarded') {
      const { policy: _policy, ...data } = e.data;
      return { ...e, data };
    }
    if (e.type === 'FundsReleased') {
      const { fee: _fee, ...data } = e.data;
      return { ...e, data };
    }
    return e;
  });
}

describe("a v1 history reads as the same history with part two's defaults written", () => {
  test.prop([histories(40)], { numRuns: numRuns(60) })(
    'summarize(fold(v1)) = summarize(fold(the v1 history with the defaults written)), field for field',
    ({ events }) => {
      // Decided today from part one's commands: the award writes the default policy, every
      // release fee 0 (spec §7, R22).
      expect(isPartOne(events)).toBe(true);
      const v1 = asV1(events);
      expect(v1.some((e) => 'policy' in e.data || 'fee' in e.data)).toBe(false);
      expect(summarize(verifyHistory(v1))).toEqual(summarize(fold(events)));
    },
  );
});
