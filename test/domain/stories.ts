/*
 * The seed's two jobs (spec §6) played end to end through `decide`: their histories are what a
 * correct history looks like, for the summary tests and the history checker tests.
 */
import type { JobEvent } from '../../src/index.js';
import {
  ACCESS,
  ACCESS_MILESTONES,
  AMEX,
  LOGO,
  LOGO_MILESTONES,
  PAYPAL,
  VISA,
  awardedLogo,
  changed,
  cmd,
  play,
  without,
} from './helpers.js';

const TRAINING = {
  milestoneId: 'a5',
  title: 'Training',
  description: 'Two sessions for the staff',
  dueDate: '2014-12-05',
  amount: 10000,
};
const BUSINESS_CARD = {
  milestoneId: 'm6',
  title: 'Business card layout',
  description: 'Front and back',
  dueDate: '2014-11-30',
  amount: 5000,
};

/** The logo job: prefunded start fee, reviews, a declined change with a prefund, an accepted raise, every release, closed. */
export function logoStory(): JobEvent[] {
  const raised = changed(LOGO_MILESTONES, 'm3', { amount: 10000 });
  return play(
    [],
    cmd.award(LOGO),
    cmd.propose('client', 'p1', LOGO_MILESTONES, '2014-11-03T09:05:00Z'),
    cmd.fund('m1', 'f1', VISA, { comment: 'Start fee deposit', at: '2014-11-03T09:06:00Z' }),
    cmd.accept('freelancer', 'p1', '2014-11-03T11:00:00Z'),
    cmd.submit('m1', 'Kick-off call notes', 'freelancer', '2014-11-03T15:00:00Z'),
    cmd.release('m1', 'client', '2014-11-03T16:00:00Z'),
    cmd.fund('m2', 'f2', VISA, { at: '2014-11-04T09:00:00Z' }),
    cmd.submit('m2', 'Six concepts attached', 'freelancer', '2014-11-10T09:00:00Z'),
    cmd.requestChanges('m2', 'Bolder colours, please', 'client', '2014-11-10T12:00:00Z'),
    cmd.submit('m2', 'Bolder', 'freelancer', '2014-11-10T18:00:00Z'),
    cmd.release('m2', 'client', '2014-11-11T09:00:00Z'),
    cmd.propose('client', 'p2', [...raised, BUSINESS_CARD], '2014-11-11T10:00:00Z'),
    cmd.fund('m6', 'f3', PAYPAL, { at: '2014-11-11T10:01:00Z' }),
    cmd.decline('freelancer', 'p2', 'No time for business cards', '2014-11-11T14:00:00Z'),
    cmd.propose('freelancer', 'p3', raised, '2014-11-11T14:05:00Z'),
    cmd.accept('client', 'p3', '2014-11-11T15:00:00Z'),
    cmd.fund('m3', 'f4', VISA, { amount: 10000, at: '2014-11-12T09:00:00Z' }),
    cmd.release('m3', 'client', '2014-11-15T09:00:00Z'),
    cmd.fund('m4', 'f5', VISA, { at: '2014-11-16T09:00:00Z' }),
    cmd.release('m4', 'client', '2014-11-20T09:00:00Z'),
    cmd.fund('m5', 'f6', AMEX, { at: '2014-11-21T09:00:00Z' }),
    cmd.submit('m5', 'Print-ready files', 'freelancer', '2014-11-24T09:00:00Z'),
    cmd.release('m5', 'client', '2014-11-24T12:00:00Z'),
    cmd.close('Print-ready files delivered', 'client', '2014-11-24T12:05:00Z'),
  );
}

/**
 * The Access job: a prefund superseded by a counter-proposal, a prefunded change withdrawn, an
 * accepted change that reduces one funded milestone and deletes another, a refund by the
 * freelancer, closed.
 */
export function accessStory(): JobEvent[] {
  const counter = changed(ACCESS_MILESTONES, 'qa', { amount: 25000 });
  return play(
    [],
    cmd.award(ACCESS),
    cmd.propose('client', 'p1', ACCESS_MILESTONES, '2014-11-03T09:05:00Z'),
    cmd.fund('schema', 'f1', VISA, { at: '2014-11-03T09:06:00Z' }),
    cmd.propose('freelancer', 'p2', counter, '2014-11-03T12:00:00Z'),
    cmd.accept('client', 'p2', '2014-11-03T13:00:00Z'),
    cmd.fund('schema', 'f2', VISA, { at: '2014-11-03T13:01:00Z' }),
    cmd.fund('impl', 'f3', PAYPAL, { at: '2014-11-03T13:02:00Z' }),
    cmd.submit('schema', 'Schema v1', 'freelancer', '2014-11-10T09:00:00Z'),
    cmd.release('schema', 'client', '2014-11-10T12:00:00Z'),
    cmd.propose('freelancer', 'p3', [...counter, TRAINING], '2014-11-10T13:00:00Z'),
    cmd.fund('a5', 'f4', AMEX, { at: '2014-11-10T14:00:00Z' }),
    cmd.withdraw('freelancer', 'p3', '2014-11-10T15:00:00Z'),
    cmd.fund('final', 'f5', AMEX, { at: '2014-11-11T09:00:00Z' }),
    cmd.propose(
      'client',
      'p4',
      changed(without(counter, 'final'), 'impl', { amount: 15000 }),
      '2014-11-12T09:00:00Z',
    ),
    cmd.accept('freelancer', 'p4', '2014-11-12T10:00:00Z'),
    cmd.fund('qa', 'f6', VISA, { at: '2014-11-13T09:00:00Z' }),
    cmd.refund('qa', 'freelancer', '2014-11-13T10:00:00Z'),
    cmd.fund('qa', 'f7', AMEX, { comment: 'QA on the company card', at: '2014-11-13T11:00:00Z' }),
    cmd.release('impl', 'client', '2014-11-15T09:00:00Z'),
    cmd.release('qa', 'client', '2014-11-24T09:00:00Z'),
    cmd.close(undefined, 'client', '2014-11-24T10:00:00Z'),
  );
}

/** The logo job after the client prefunded m1 (card) and m2 (PayPal) and the freelancer declined, with its two refunds: 7 events. */
export function declinedWithRefunds(): JobEvent[] {
  return play(
    awardedLogo(),
    cmd.propose('client', 'p1', LOGO_MILESTONES),
    cmd.fund('m1', 'f1', VISA),
    cmd.fund('m2', 'f2', PAYPAL),
    cmd.decline('freelancer', 'p1'),
  );
}
