import { describe, expect, it } from 'vitest';
import { fold, summarize, verifyHistory } from '../../src/index.js';
import { assertHistory, decideAll, logoDesign, microsoftAccess } from '../../src/testing/index.js';

describe.each([
  ['logo design', logoDesign],
  ['Microsoft Access', microsoftAccess],
] as const)('the seed’s %s job', (_, job) => {
  it('is a legal history that decide wrote from its commands, conserving money all along', () => {
    expect(decideAll(job.commands).events).toEqual(job.events);
    expect(assertHistory(job.events)).toEqual(job.state);
    expect(verifyHistory(job.events)).toEqual(fold(job.events));
  });

  it('is frozen, all the way down', () => {
    expect(Object.isFrozen(job)).toBe(true);
    expect(Object.isFrozen(job.events)).toBe(true);
    expect(job.events.every((e) => Object.isFrozen(e) && Object.isFrozen(e.data))).toBe(true);
    expect(Object.isFrozen(job.commands[0]?.data)).toBe(true);
    expect(Object.isFrozen(job.stages)).toBe(true);
  });

  it('has stages that are prefixes of the story', () => {
    for (const stage of Object.values(job.stages)) {
      expect(job.events.slice(0, stage.events.length)).toEqual(stage.events);
      expect(job.commands.slice(0, stage.commands.length)).toEqual(stage.commands);
      expect(stage.state).toEqual(fold(stage.events));
    }
  });
});

describe('the seed’s terms (spec §6)', () => {
  it('logo design: five milestones, $400, completed and closed, the declined extra refunded', () => {
    expect(logoDesign.terms.map((m) => [m.title, m.dueDate, m.amount])).toEqual([
      ['Start fee deposit', '2014-11-03', 7500],
      ['6 concepts', '2014-11-10', 7500],
      ['1st Revision of chosen concept', '2014-11-15', 7500],
      ['2nd Revision of chosen concept', '2014-11-20', 7500],
      ['Final: Delivery of final print-ready files', '2014-11-24', 10000],
    ]);
    expect(logoDesign.stages.completed.state.terms.active?.milestones).toEqual(logoDesign.terms);
    const summary = summarize(logoDesign.stages.completed.state);
    expect(summary.status).toBe('completed');
    // The prefunded business cards (m6, $50) were declined and went back to the card (R8).
    expect(summary.totals).toEqual({
      contract: 40000,
      funded: 45000,
      held: 0,
      released: 40000,
      refunded: 5000,
      fees: 0,
    });
    expect(summarize(logoDesign.state).status).toBe('closed');
    // The start fee was prefunded (R7) and held once the terms were accepted (R8).
    expect(summarize(logoDesign.stages.prefunded.state).pendingProposal?.milestones[0]?.held).toBe(
      7500,
    );
    expect(summarize(logoDesign.stages.accepted.state).workMayBegin).toBe(true);
  });

  it('Microsoft Access: four milestones, $800; the superseded proposal’s prefund went back to its source', () => {
    expect(microsoftAccess.terms.map((m) => [m.title, m.dueDate, m.amount])).toEqual([
      ['Initial schema design', '2014-11-10', 20000],
      ['Implementation', '2014-11-15', 20000],
      ['QA', '2014-11-24', 20000],
      ['Final: Release/Final Product', '2014-11-30', 20000],
    ]);
    expect(microsoftAccess.state.terms.active?.milestones).toEqual(microsoftAccess.terms);
    const countered = microsoftAccess.stages.countered.events;
    expect(countered.slice(-2).map((e) => e.type)).toEqual(['TermsProposed', 'FundsRefunded']);
    expect(countered.at(-1)?.data).toMatchObject({
      fundingId: 'f1',
      source: 'card:visa-4242',
      amount: 20000,
      reason: 'terms-superseded',
    });
    const inProgress = summarize(microsoftAccess.stages.inProgress.state);
    expect(inProgress.status).toBe('in-progress');
    expect(inProgress.totals).toEqual({
      contract: 80000,
      funded: 60000,
      held: 20000,
      released: 20000,
      refunded: 20000,
      fees: 0,
    });
    // Stopped after the schema, by agreement: the implementation's money went back (R11).
    const closed = summarize(microsoftAccess.state);
    expect(closed.status).toBe('closed');
    expect(closed.totals).toMatchObject({
      funded: 60000,
      held: 0,
      released: 20000,
      refunded: 40000,
    });
  });
});
