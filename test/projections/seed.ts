import {
  decide,
  fold,
  initialState,
  type JobCommandInput,
  type JobEvent,
  type JobState,
  type MilestoneInput,
} from '../../src/index.js';
import { logoDesign } from '../../src/testing/index.js';
import { ACCESS_TERMS, LOGO_TERMS, SEED_CARD } from '../../src/testing/seed.js';

/*
 * The seed's two jobs (spec §6), played through `decide` so that every history here is one the
 * domain would write.
 */

export const CLIENT = logoDesign.clientId;
export const FREELANCER = logoDesign.freelancerId;
export const CARD = SEED_CARD;
export const BANK = 'bank:acme-0042';

/** A job being played command by command. */
export class Play {
  readonly events: JobEvent[] = [];
  state: JobState = initialState();
  private minutes = 0;

  constructor(private day = '2014-11-03') {}

  /** Moves the clock of the commands that follow to a new day (09:00 UTC). */
  on(day: string): this {
    this.minutes = 0;
    this.day = day;
    return this;
  }

  private at(): string {
    const m = this.minutes++;
    return `${this.day}T${String(9 + Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00Z`;
  }

  /** Decides a command against the job so far and appends its events. */
  do(type: JobCommandInput['type'], actor: string, data: Record<string, unknown>): JobEvent[] {
    const command = { type, actor, at: this.at(), data } as JobCommandInput;
    const events = decide(command, this.state);
    this.events.push(...events);
    this.state = fold(events, this.state);
    return events;
  }

  client(type: JobCommandInput['type'], data: Record<string, unknown> = {}): JobEvent[] {
    return this.do(type, CLIENT, data);
  }

  freelancer(type: JobCommandInput['type'], data: Record<string, unknown> = {}): JobEvent[] {
    return this.do(type, FREELANCER, data);
  }
}

export const LOGO_MILESTONES: readonly MilestoneInput[] = LOGO_TERMS;

export const ACCESS_MILESTONES: readonly MilestoneInput[] = ACCESS_TERMS;

export function awarded(jobId: string, title: string): Play {
  const play = new Play();
  play.client('AwardJob', {
    jobId,
    title,
    clientId: CLIENT,
    freelancerId: FREELANCER,
    currency: logoDesign.currency,
  });
  return play;
}

/**
 * The logo job: the client sends the terms and prefunds the start fee; the freelancer accepts
 * (the job begins at once); m1 is released, m2 funded, submitted, sent back, resubmitted and
 * released; m3 is funded from the card, raised by a change of terms to $90 and topped up from the
 * bank, then released (two fundings, two sources).
 */
export function logoJob(): Play {
  const play = awarded(logoDesign.jobId, logoDesign.title);
  play.client('ProposeTerms', { proposalId: 'p1', milestones: LOGO_MILESTONES });
  play.client('FundMilestone', {
    milestoneId: 'm1',
    fundingId: 'f1',
    source: CARD,
    comment: 'Start fee',
  });
  play.freelancer('AcceptTerms', { proposalId: 'p1' });
  play.freelancer('SubmitWork', { milestoneId: 'm1' });
  play.client('ReleaseFunds', { milestoneId: 'm1' });
  play
    .on('2014-11-05')
    .client('FundMilestone', { milestoneId: 'm2', fundingId: 'f2', source: CARD });
  play
    .on('2014-11-10')
    .freelancer('SubmitWork', { milestoneId: 'm2', note: 'six concepts attached' });
  play.client('RequestChanges', { milestoneId: 'm2', note: 'bolder, please' });
  play.on('2014-11-11').freelancer('SubmitWork', { milestoneId: 'm2' });
  play.client('ReleaseFunds', { milestoneId: 'm2' });
  play.client('FundMilestone', { milestoneId: 'm3', fundingId: 'f3', source: CARD });
  const raised = LOGO_MILESTONES.map((m) => (m.milestoneId === 'm3' ? { ...m, amount: 9000 } : m));
  play.on('2014-11-12').freelancer('ProposeTerms', { proposalId: 'p2', milestones: raised });
  play.client('AcceptTerms', { proposalId: 'p2' });
  play.client('FundMilestone', { milestoneId: 'm3', fundingId: 'f4', source: BANK, amount: 1500 });
  play.on('2014-11-15').client('ReleaseFunds', { milestoneId: 'm3' });
  return play;
}

/**
 * The Microsoft Access job: the client prefunds the schema design; the freelancer counters with a
 * later QA date (the prefund goes back, terms-superseded); the client declines the counter; the
 * client sends the terms again, prefunds, and the freelancer accepts.
 */
export function accessJob(): Play {
  const play = awarded('access', 'Microsoft Access');
  play.client('ProposeTerms', { proposalId: 'a1', milestones: ACCESS_MILESTONES });
  play.client('FundMilestone', { milestoneId: 'schema', fundingId: 'g1', source: CARD });
  const later = ACCESS_MILESTONES.map((m) =>
    m.milestoneId === 'qa' ? { ...m, dueDate: '2014-11-26' } : m,
  );
  play.on('2014-11-04').freelancer('ProposeTerms', { proposalId: 'a2', milestones: later });
  play.client('DeclineTerms', { proposalId: 'a2', reason: 'QA date is fixed' });
  play.client('ProposeTerms', { proposalId: 'a3', milestones: ACCESS_MILESTONES });
  play.client('FundMilestone', { milestoneId: 'schema', fundingId: 'g2', source: BANK });
  play.on('2014-11-05').freelancer('AcceptTerms', { proposalId: 'a3' });
  return play;
}
