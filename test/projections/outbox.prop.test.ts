import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { type JobEvent } from '../../src/index.js';
import { outbox } from '../../src/projections/index.js';
import { CLIENT, FREELANCER, historyArb } from './histories.js';

const RUNS = { numRuns: 120 };

const count = (events: readonly JobEvent[], type: JobEvent['type']) =>
  events.filter((e) => e.type === type).length;

test.prop([historyArb()], RUNS)(
  'exactly one notification per funding (prefunds included), to the freelancer, naming that funding',
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

test.prop([historyArb()], RUNS)(
  'one notification per terms event and per submission, to the party that did not act',
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

test.prop([historyArb(), fc.nat()], RUNS)(
  'ids are unique and stable: the outbox of a prefix is a prefix of the outbox',
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
