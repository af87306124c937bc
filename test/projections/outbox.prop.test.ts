import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { fold, summarize, type JobEvent } from '../../src/index.js';
import { outbox } from '../../src/projections/index.js';
import { CLIENT, FREELANCER, HISTORIES, historyArb, partTwoHistoryArb } from './histories.js';

const RUNS = { numRuns: 120 };

const count = (events: readonly JobEvent[], type: JobEvent['type']) =>
  events.filter((e) => e.type === type).length;

test.prop([historyArb()], RUNS)(
  // Part one's events only: part two's, which notify the platform too, are the property below.
  'part one: one notification per terms event and per submission, to the party that did not act',
  (events) => {
    const box = outbox(events);
    const of = (kind: string) => box.notifications.filter((n) => n.kind === kind);
    expect(of('terms-proposed').length).toBe(count(events, 'TermsProposed'));
    expect(of('terms-accepted').length).toBe(count(events, 'TermsAccepted'));
    expect(of('terms-declined').length).toBe(count(events, 'TermsDeclined'));
    expect(of('terms-withdrawn').length).toBe(count(events, 'TermsWithdrawn'));
    expect(of('work-submitted').length).toBe(count(events, 'WorkSubmitted'));
    expect(box.notifications.length).toBe(
      [
        'TermsProposed',
        'TermsAccepted',
        'TermsDeclined',
        'TermsWithdrawn',
        'WorkSubmitted',
        'MilestoneFunded',
      ].reduce((s, t) => s + count(events, t as JobEvent['type']), 0),
    );
    for (const n of box.notifications) {
      expect(n.recipient.partyId).toBe(n.recipient.role === 'client' ? CLIENT : FREELANCER);
      if ('by' in n.data) expect(n.recipient.role).not.toBe(n.data.by);
      if (n.kind === 'work-submitted') expect(n.recipient.role).toBe('client');
      expect(events[n.position - 1]?.data.at).toBe(n.at);
    }
  },
);

/** How many notifications each event type sends (spec §11): one to whoever must act, or both. */
const SENT: Partial<Record<JobEvent['type'], number>> = {
  TermsProposed: 1,
  TermsAccepted: 1,
  TermsDeclined: 1,
  TermsWithdrawn: 1,
  WorkSubmitted: 1,
  MilestoneFunded: 1,
  ReviewExpired: 2,
  DisputeOpened: 1,
  SettlementProposed: 1,
  DisputeEscalated: 2,
  DisputeWithdrawn: 1,
  DisputeSettled: 2,
};

test.prop([partTwoHistoryArb()], RUNS)(
  'part two: an offer to the party who must answer it, an escalation to the platform and the other party, a withdrawal to the other party, a settlement and an expired review to both; each to its party id',
  (events) => {
    const box = outbox(events);
    const sent = events.map((e) => SENT[e.type] ?? 0);
    expect(box.notifications.length).toBe(sent.reduce((a, b) => a + b, 0));
    const { platformId } = summarize(fold(events));
    const ids = { client: CLIENT, freelancer: FREELANCER, platform: platformId };
    for (const n of box.notifications) {
      const event = events[n.position - 1];
      expect(event?.data.at).toBe(n.at);
      expect(n.recipient.partyId).toBe(ids[n.recipient.role]);
      if (n.recipient.role === 'platform') expect(n.kind).toBe('dispute-escalated');
      // Both parties hear of money that moved, whoever moved it; otherwise never the actor.
      if ((SENT[event?.type ?? 'JobAwarded'] ?? 0) === 1 && 'by' in n.data)
        expect(n.recipient.role).not.toBe(n.data.by);
    }
  },
);

// Part one's histories and part two's (disputes, expiries, fees): the same properties.
for (const [part, historyArb] of HISTORIES) {
  test.prop([historyArb()], RUNS)(
    `${part}: exactly one notification per funding (prefunds included), to the freelancer, naming that funding`,
    (events) => {
      const funded = outbox(events).notifications.filter((n) => n.kind === 'milestone-funded');
      const fundings = events.flatMap((e, i) =>
        e.type === 'MilestoneFunded'
          ? [{ position: i + 1, fundingId: e.data.fundingId, amount: e.data.amount }]
          : [],
      );
      expect(
        funded.map((n) => ({
          position: n.position,
          fundingId: n.data.fundingId,
          amount: n.data.amount,
        })),
      ).toEqual(fundings);
      for (const n of funded)
        expect(n.recipient).toEqual({ role: 'freelancer', partyId: FREELANCER });
    },
  );

  test.prop([historyArb(), fc.nat()], RUNS)(
    `${part}: ids are unique and stable: the outbox of a prefix is a prefix of the outbox`,
    (events, cut) => {
      const full = outbox(events).notifications;
      const ids = full.map((n) => n.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const n of full)
        expect(n.id).toBe(`${n.jobId}:${String(n.position)}:${n.recipient.role}:${n.kind}`);
      const prefix = outbox(events.slice(0, cut % (events.length + 1))).notifications;
      expect(full.slice(0, prefix.length)).toEqual(prefix);
      expect(full.slice(prefix.length).every((n) => n.position > cut % (events.length + 1))).toBe(
        true,
      );
    },
  );
}
