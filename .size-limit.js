// Size budgets (`npx size-limit`, run by `npm run check:package` in CI): each subpath of
// `exports`, minified and brotli-compressed with its dependencies as a bundler would ship it.
// A subpath without a budget here fails the check; so does a budget over its limit.
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** Budgets by subpath. The README's "Size" section quotes these. */
const BUDGETS = {
  '.': [
    // Raised from 22 and 13 kB by the speed work of issue 6 (the copy-on-write fold, the id
    // tables' working-copy forms, the compiled validation path), and from 24 to 28 kB by the
    // spec's part two (disputes, review clocks, deadlines, fees), then down to 26 kB when the
    // milestone table, the timeline and the formats moved to `./projections`, then to 27 kB for
    // the checks of every option (DomainError, never a TypeError), then to 27.5 kB for the CLI
    // replay's speed (issue 15, 80 bytes over), then to 28.5 kB for harden6's checks (values
    // read once, messages cut, the checker validating), then to 29.5 kB for harden7's (a trusted
    // fold names what it cannot take, states checked at their top), then to 30 kB for harden8's
    // (an event taken all or none: 29,555 bytes when raised), then to 30.5 kB for harden9's (the
    // fundings' index that makes n refunds of a milestone linear, yes-or-no options checked:
    // 30,196 bytes when raised, main 29,985), then to 30.6 kB for the twelfth session's leftovers
    // (spec §7's order for what a command's data alone decides, a snapshot's text limits, review
    // deadlines before 0000: 30,570 bytes when raised, main 30,480), then to 30.7 kB for the
    // fourteenth session's conformance fixes (spec §7: a policy that is an array, instants by
    // value in the history checker, deadlines written in UTC: 30,621 bytes when raised, main
    // 30,480): see docs/decisions.md.
    { name: 'milestone-escrow (everything, with immer and valibot)', limit: '30.7 kB' },
    {
      name: 'milestone-escrow { decide, fold } (tree-shaken, with immer and valibot)',
      import: '{ decide, fold }',
      // 16 -> 16.5 kB (round two, third session): R14's clocks read each table once, instants
      // read digit by digit, the in-place field checks of parseEvent's fast path. 17 -> 17.5 kB:
      // harden7 (fold, evolve and decide name a record or a state they cannot take). 18 kB:
      // harden9's index of a milestone's fundings, which makes folding n refunds linear instead
      // of n²/2 (17,530 bytes when raised, 30 over; main was 17,366).
      limit: '18 kB',
    },
  ],
  './testing': [
    {
      name: 'milestone-escrow/testing (without fast-check)',
      ignore: ['fast-check'],
      // 22 -> 28 kB: the script writer generates part two's commands and attacks; 28.5 kB with
      // the expiring disputes and the checks of `given`'s options; 29 kB with the checker's table
      // of event kinds and the in-place deepFreeze (28,692 bytes when raised); 30.5 kB with
      // harden7's checks (29,853 bytes when raised); 31 kB with harden9's (the fundings' index
      // above, and a diff that stays short on a decision of any size: 30,560 bytes when raised);
      // 31.5 kB with the cast's check (hunt11: a bad cast was a RangeError or a history of
      // rejected commands; 31,178 bytes when raised); 32 kB with the arbitraries' options checked
      // (a bad length was fast-check's own Error, null options a TypeError, a NaN share or an
      // unknown code silently no attack; 31,523 bytes when raised).
      limit: '32 kB',
    },
  ],
  // 4 -> 23 kB: the live loops (consumers, the dispatcher, the timer runner, the summary read
  // model) run the command handler and the domain, which this entry now carries; 24.5 kB with
  // the checks of every option; 25 kB with harden6's (options read once, messages cut); 25.5 kB
  // with harden7's (24,986 bytes, 14 under 25 kB); 26 kB with harden7b's (every option read once
  // into a checked copy, DomainError checking its arguments: 25,506 bytes, 6 over 25.5 kB); 26.5 kB
  // with hostile9's (a failed send recorded whatever it rejected with, clock.now() read as whole
  // milliseconds, the query methods' arguments checked: 26,022 bytes, 22 over 26 kB); 27 kB with
  // the rest of hostile9's (the timer runner's app functions checked, snapshots checked alike in
  // both stores, async observers and a sleep that does not wait: 26,522 bytes, 22 over 26.5 kB);
  // 27.5 kB with hungstep's (a deadline on send and handle, the dispatcher's marks checked
  // against their claim, the consumer's handleTimeoutMs: 27,015 bytes, 15 over 27 kB); 28 kB with
  // truth11's (a deadline by the clock's now(), a send that resolved marked sent whatever fails
  // after it, reclaimed marks, a rebuild's cleanup reported, the timer runner's handleTimeoutMs:
  // 27,683 bytes, 183 over 27.5 kB); 28.5 kB with the second live review's (a send given up at
  // its lease's end, a consumer half paced on its own, stop() waiting for methods called
  // directly, one generation switch at a time: 28,133 bytes, 133 over 28 kB); 29.5 kB with the
  // third live review's (a lost COMMIT reply asked about, a consumer's and a rebuild's swap, a
  // retired generation noticed in its step, catchUp() ending at stop(), a timer handler's
  // result checked, a failing sleep reported: 29,106 bytes, 606 over 28.5 kB), which holds
  // attack13's too (a lost COMMIT asked on its own connection or after the broken one is given
  // back, a deadline whose sleep fails giving the work up: 29,245 bytes). 30 kB with the store's
  // append in a transaction of its own whose lost COMMIT is asked about, and
  // AppendOutcomeUnknownError (29,723 bytes, 223 over 29.5 kB). 30.2 kB with inputs15's
  // hostile inputs in the command schemas the timer runner's handler carries (an array refused
  // where the wire has an object, a refund of -0 refused: 30,090 bytes, 90 over 30 kB; main was
  // 29,994 after pgtidy15).
  './postgres': [
    { name: 'milestone-escrow/postgres (without pg)', ignore: ['pg'], limit: '30.2 kB' },
  ],
  // The store contract suite and the append checks: for people writing their own store.
  // 4 -> 11 kB: the snapshot data checks read states through the domain's declared shape; 11.5 kB
  // with harden6's (read bounds and expected versions read once, messages cut; 11,461 bytes after
  // harden7b's options read once). 14 kB with the snapshot store contract suite and
  // prepareSnapshot (13,713 bytes, 2,243 more than 11,470 before: test code for users' own stores,
  // in the entry the event store contract is on; nothing else imports it). 14.5 kB with tidy11's
  // hostile sweep (the suites check their name and what makeStore resolves to; a proxy that
  // cannot be printed or read as a stream id, an expected version or a state: 14,103 bytes, 103
  // over 14 kB; main was 13,825).
  './store': [{ name: 'milestone-escrow/store', limit: '14.5 kB' }],
  // Ledger, outbox, schedule, closing statement and the projection machinery; 16 -> 18 kB when
  // the milestone table, the timeline and the formats moved here from the main entry; 18.5 kB
  // with the checks of the locale, the currency and the options.
  './projections': [
    // 19 -> 20 kB: harden7 (states and ledgers checked at their top, records that are not events
    // named at their position; 19,600 bytes when raised; 19,856 after harden7b's options read once).
    // 20 -> 20.5 kB: harden8 (a projector's or a timeline's push all or none; 20,113 bytes).
    // 20.5 -> 21 kB: cleanups10 (the timeline counts the job's status instead of walking every
    // milestone at each event, which made it O(milestones²): 20,568 bytes, main 20,277).
    { name: 'milestone-escrow/projections (with immer and valibot)', limit: '21 kB' },
  ],
};

export default Object.entries(pkg.exports)
  .filter(([subpath]) => subpath !== './package.json')
  .flatMap(([subpath, target]) => {
    const budgets = BUDGETS[subpath];
    if (budgets === undefined)
      throw new Error(`.size-limit.js: no size budget for the subpath ${subpath}`);
    return budgets.map((budget) => ({ path: target.import.default, ...budget }));
  });
