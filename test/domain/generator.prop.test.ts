import { tableGet } from '../../src/domain/shared/table.js';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ERROR_CODES, type JobEvent, type JobState } from '../../src/index.js';
import { DEFAULT_CAST } from '../../src/testing/index.js';
import { arb, play, scripts } from './prop-support.js';

/*
 * The property tests are only as good as the scripts they run: these tests measure how deep the
 * generator gets into a job's life (on fixed seeds, so they never flake) and require a
 * meaningful share of scripts to reach each part of it. `FC_STATS=1` prints the shares.
 */

const SAMPLE = 150;

/** What one played script reached. */
function reachedBy(
  events: readonly JobEvent[],
  outcomes: ReturnType<typeof play>['outcomes'],
): Set<string> {
  const seen = new Set<string>();
  for (const step of outcomes) {
    if (!step.accepted) {
      seen.add(`rejected ${step.error.code}`);
      continue;
    }
    const before: JobState = step.before;
    for (const event of step.events) {
      switch (event.type) {
        case 'TermsProposed':
          if (before.terms.pending !== null) seen.add('counter-proposal');
          if (before.terms.active !== null) seen.add('change proposed');
          break;
        case 'TermsAccepted':
          seen.add(before.terms.active === null ? 'terms accepted' : 'change accepted');
          break;
        case 'MilestoneFunded': {
          const { milestoneId } = event.data;
          if (!before.terms.active?.milestones.some((m) => m.milestoneId === milestoneId))
            seen.add('prefund');
          if ((tableGet(before.escrow.milestones, milestoneId)?.held ?? 0) > 0)
            seen.add('top-up (second funding)');
          break;
        }
        case 'FundsReleased':
          seen.add('release');
          break;
        case 'FundsRefunded':
          seen.add(`refund ${event.data.reason}`);
          if (event.data.reason !== 'refunded-by-freelancer') seen.add('automatic refund (R8/R9)');
          break;
        case 'JobClosed':
          seen.add('closed');
          break;
        default:
          seen.add(event.type);
      }
    }
    const active = step.after.terms.active;
    if (
      active !== null &&
      active.milestones.every(
        (m) => (tableGet(step.after.escrow.milestones, m.milestoneId)?.released ?? 0) > 0,
      )
    )
      seen.add('completed');
  }
  if (events.length > 30) seen.add('more than 30 events');
  return seen;
}

function measure(name: string, samples: Set<string>[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const seen of samples)
    for (const what of seen) counts.set(what, (counts.get(what) ?? 0) + 1);
  if (process.env['FC_STATS'] !== undefined) {
    const rows = [...counts]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([what, n]) =>
          `  ${what.padEnd(40)} ${String(Math.round((100 * n) / samples.length)).padStart(3)} %`,
      );
    console.log(
      `${name}: share of ${String(samples.length)} generated scripts reaching…\n${rows.join('\n')}`,
    );
  }
  return counts;
}

describe('the command generator reaches deep states', () => {
  it('mixed scripts (client, freelancer, stranger; valid, invalid, random) reach releases, automatic refunds and every rejection', () => {
    const samples = fc.sample(scripts, { numRuns: SAMPLE, seed: 20141103 }).map((script) => {
      const { events, outcomes } = play(script);
      const seen = reachedBy(events, outcomes);
      for (const step of script.steps) seen.add(`intent ${step.intent.kind}`);
      return seen;
    });
    const counts = measure('mixed scripts', samples);
    const share = (what: string): number => (counts.get(what) ?? 0) / SAMPLE;
    expect(share('intent valid')).toBeGreaterThan(0.9);
    expect(share('intent invalid')).toBeGreaterThan(0.8);
    expect(share('intent random')).toBeGreaterThan(0.7);
    expect(share('rejected NOT_A_PARTY')).toBeGreaterThan(0.2);
    expect(share('prefund')).toBeGreaterThan(0.3);
    expect(share('counter-proposal')).toBeGreaterThan(0.2);
    expect(share('release')).toBeGreaterThan(0.4);
    expect(share('automatic refund (R8/R9)')).toBeGreaterThan(0.3);
    expect(share('refund milestone-reduced') + share('refund milestone-deleted')).toBeGreaterThan(
      0.1,
    );
    expect(share('refund refunded-by-freelancer')).toBeGreaterThan(0.1);
    expect(share('closed')).toBeGreaterThan(0.05);
    // Every code a command can be rejected with is reached somewhere in the sample.
    const commandCodes = ERROR_CODES.filter(
      (c) =>
        c !== 'INVALID_HISTORY' && c !== 'CONCURRENCY_CONFLICT' && c !== 'IDEMPOTENCY_KEY_REUSED',
    );
    expect(commandCodes.filter((code) => share(`rejected ${code}`) === 0)).toEqual([]);
  });

  it('valid histories reach prefunds, counter-proposals, releases, reductions, deletions, refunds and closing', () => {
    const samples = fc
      .sample(arb.history(), { numRuns: SAMPLE, seed: 20141110 })
      .map(({ events, commands }) => {
        const steps = play({
          steps: commands.map((command) => ({ command, intent: { kind: 'valid' as const } })),
          cast: DEFAULT_CAST,
        });
        return reachedBy(events, steps.outcomes);
      });
    const counts = measure('valid histories', samples);
    const share = (what: string): number => (counts.get(what) ?? 0) / SAMPLE;
    expect([...counts.keys()].filter((k) => k.startsWith('rejected'))).toEqual([]);
    for (const what of [
      'prefund',
      'counter-proposal',
      'change accepted',
      'release',
      'automatic refund (R8/R9)',
      'refund milestone-reduced',
      'refund milestone-deleted',
      'refund terms-superseded',
      'refund terms-declined',
      'refund terms-withdrawn',
      'refund refunded-by-freelancer',
      'ChangesRequested',
      'top-up (second funding)',
      'completed',
      'closed',
      'more than 30 events',
    ]) {
      expect(share(what), what).toBeGreaterThan(0.03);
    }
    expect(share('release')).toBeGreaterThan(0.5);
    expect(share('automatic refund (R8/R9)')).toBeGreaterThan(0.3);
  });
});
