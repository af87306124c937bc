/*
 * Model-based test (fc.commands): a tiny reference model of the escrow's money, written apart
 * from the domain, plain maps of fundings per milestone (so of held, released and refunded per
 * milestone and per payment source), is run side by side with the real decider. After every
 * command the model predicts whether it is accepted, and the money must match to the cent.
 */

import { expect } from 'vitest';
import {
  decide,
  fold,
  isDomainError,
  type JobCommandInput,
  type JobState,
  type Milestone,
} from '../../src/index.js';
import { tableEntries } from '../../src/domain/shared/table.js';

export type Who = 'client' | 'freelancer' | 'stranger' | 'auto';
export type Role = 'client' | 'freelancer';
export const ACTORS = { client: 'acme', freelancer: 'fiona', stranger: 'mallory' } as const;
export const SOURCES = ['card:visa-4242', 'card:mc-5454', 'bank:acme'];

export interface ModelFunding {
  readonly fundingId: string;
  readonly source: string;
  readonly amount: number;
  held: number;
  released: number;
  refunded: number;
}

export interface Model {
  closed: boolean;
  active: Milestone[] | null;
  pending: { proposalId: string; by: Role; milestones: Milestone[] } | null;
  released: Set<string>;
  /** Fundings of each milestone, oldest first. */
  fundings: Map<string, ModelFunding[]>;
  next: { proposal: number; milestone: number; funding: number; minute: number };
  /** What this run reached (for the coverage check). */
  seen: Set<keyof typeof reached>;
}

export interface Real {
  state: JobState;
}

export const amountIn = (
  list: readonly Milestone[] | null | undefined,
  id: string,
): number | undefined => list?.find((m) => m.milestoneId === id)?.amount;
export const heldOf = (model: Model, id: string): number =>
  (model.fundings.get(id) ?? []).reduce((sum, f) => sum + f.held, 0);

/** Refunds `amount` of a milestone's held money, newest funding first (R9). */
export function refund(model: Model, id: string, amount: number): void {
  const holding = (model.fundings.get(id) ?? []).filter((f) => f.held > 0).length;
  if (amount > 0 && amount < heldOf(model, id) && holding >= 2) model.seen.add('splitRefund');
  let left = amount;
  for (const f of [...(model.fundings.get(id) ?? [])].reverse()) {
    const part = Math.min(f.held, left);
    f.held -= part;
    f.refunded += part;
    left -= part;
  }
}

/** R8: the money prefunded for a proposal's milestones that are not active goes back. */
export function refundPrefunds(model: Model, milestones: readonly Milestone[]): void {
  for (const m of milestones) {
    if (amountIn(model.active, m.milestoneId) !== undefined) continue;
    const held = heldOf(model, m.milestoneId);
    if (held > 0) model.seen.add('prefundRefund');
    refund(model, m.milestoneId, held);
  }
}

export function roleOf(who: Who, auto: Role): Role | 'stranger' {
  return who === 'auto' ? auto : who;
}

export function at(model: Model): string {
  model.next.minute += 1;
  return new Date(Date.UTC(2014, 10, 3, 9) + model.next.minute * 60_000)
    .toISOString()
    .replace('.000Z', 'Z');
}

/** Runs a command on the real decider and compares the outcome with the model's prediction. */
export function run(
  model: Model,
  real: Real,
  command: JobCommandInput,
  predicted: boolean,
  apply: () => void,
): void {
  let rejection: string | undefined;
  try {
    real.state = fold(decide(command, real.state), real.state);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    rejection = `${error.code}: ${error.message}`;
  }
  expect(rejection ?? 'accepted', `${command.type} by ${command.actor}`).toBe(
    predicted ? 'accepted' : (rejection ?? 'a rejection'),
  );
  if (predicted) apply();
  compare(model, real);
}

/** The money of the model and of the real state, as plain maps, per milestone and per source. */
export function balances(
  fundings: Iterable<
    [
      string,
      readonly {
        source: string;
        held: number;
        released: number;
        refunded: number;
        amount: number;
      }[],
    ]
  >,
) {
  const perMilestone: Record<
    string,
    { funded: number; held: number; released: number; refunded: number }
  > = {};
  const perSource: Record<
    string,
    { funded: number; held: number; released: number; refunded: number }
  > = {};
  for (const [id, list] of fundings) {
    for (const f of list) {
      for (const [key, bucket] of [
        [id, perMilestone],
        [f.source, perSource],
      ] as const) {
        const b = (bucket[key] ??= { funded: 0, held: 0, released: 0, refunded: 0 });
        b.funded += f.amount;
        b.held += f.held;
        b.released += f.released;
        b.refunded += f.refunded;
      }
    }
  }
  return { perMilestone, perSource };
}

export function compare(model: Model, real: Real): void {
  const expected = balances(model.fundings);
  const actual = balances(
    tableEntries(real.state.escrow.milestones).map(([id, m]) => [id, m.fundings]),
  );
  expect(actual).toEqual(expected);
  // The real state's own per-milestone counters agree with the model too.
  for (const [id, m] of tableEntries(real.state.escrow.milestones)) {
    const want = expected.perMilestone[id] ?? { funded: 0, held: 0, released: 0, refunded: 0 };
    expect({ funded: m.funded, held: m.held, released: m.released, refunded: m.refunded }).toEqual(
      want,
    );
  }
}

/** The milestones a money command may name: active, proposed, and one no terms know. */
export function candidates(model: Model): string[] {
  return [
    ...new Set(
      [...(model.active ?? []), ...(model.pending?.milestones ?? [])].map((m) => m.milestoneId),
    ),
    'm-ghost',
  ];
}

/**
 * Where the party acts (`auto`), it picks among the milestones where the command would do
 * something, when there are some; this only steers the choice, never the prediction.
 */
export function aim(who: Who, ids: string[], promising: (id: string) => boolean): string[] {
  const good = ids.filter(promising);
  return who === 'auto' && good.length > 0 ? good : ids;
}

/** What the runs reached, to check that the commands get deep into the escrow's life. */
export const reached = {
  runs: 0,
  release: 0,
  prefundRefund: 0,
  topUp: 0,
  reduction: 0,
  splitRefund: 0,
  closed: 0,
};
