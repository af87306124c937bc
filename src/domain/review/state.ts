import { count, fact, nullable, record, table, text } from '../shared/shape.js';
import { freezeTable, noIds, tableGet, tableIsEmpty, type IdTable } from '../shared/table.js';

/**
 * A milestone's review clock (R14): the time it has run before (milliseconds) and, while it runs,
 * the instant it last started running.
 * @category State
 */
export interface ReviewClock {
  /** Milliseconds run before the last pause (0 when it has never paused). */
  readonly ran: number;
  /** The `at` of the event after which it last started running; `null` while paused. */
  readonly since: string | null;
}

/**
 * The review slice: the clock of every milestone whose review has run (`null` once reset).
 * @category State
 */
export interface ReviewSlice {
  readonly clocks: IdTable<ReviewClock | null>;
}

/** The review slice's shape (see shared/shape.ts): a clock is replaced whole when it moves (a fact). */
export const reviewSliceShape = record<ReviewSlice>({
  clocks: table(nullable(fact<ReviewClock>({ ran: count, since: nullable(text) }))),
});

/** A new job's review clocks: none has run. */
export function initialReviewSlice(): ReviewSlice {
  return { clocks: noIds() };
}

/** A milestone's clock, if it has run since it was last reset. */
export function clockOf(slice: ReviewSlice, milestoneId: string): ReviewClock | undefined {
  return tableGet(slice.clocks, milestoneId) ?? undefined;
}

// The review slice every job without a clock hands out, frozen once (see `frozenDisputeSlice`).
const NO_CLOCKS: ReviewSlice = Object.freeze(initialReviewSlice());

/**
 * A working copy's review slice, frozen (written out for speed, as `freezeJobSlice` is, and held
 * to the shape by the same property test): frozen in place, or for a job whose clocks never ran
 * the one shared empty slice, equal to it.
 */
export function frozenReviewSlice(slice: ReviewSlice): ReviewSlice {
  if (tableIsEmpty(slice.clocks)) return NO_CLOCKS;
  const working = slice as { -readonly [K in keyof ReviewSlice]: ReviewSlice[K] };
  working.clocks = freezeTable(working.clocks, freezeClock);
  return Object.freeze(working);
}

function freezeClock(clock: ReviewClock | null): void {
  if (clock !== null) Object.freeze(clock);
}
