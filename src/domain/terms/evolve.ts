import type { Draft } from 'immer';
import { assertNever } from '../shared/never.js';
import { tableWith } from '../shared/table.js';
import type { TermsEvent } from './events.js';
import type { TermsSlice } from './state.js';
import { allFrozen } from '../shared/freeze.js';

/** Folds a terms event into the terms slice (a recipe: it mutates the working copy it is given). */
export function evolveTerms(draft: Draft<TermsSlice>, event: TermsEvent): void {
  switch (event.type) {
    case 'TermsProposed': {
      const { proposalId, by, at } = event.data;
      // Frozen events (from decide, parseEvent, a store) are shared; others are copied, so that
      // freezing the state never freezes the caller's event.
      const given = event.data.milestones;
      const milestones = allFrozen(given)
        ? given
        : given.map(({ milestoneId, title, description, dueDate, amount }) => ({
            milestoneId,
            title,
            description,
            dueDate,
            amount,
          }));
      draft.proposalIds = tableWith(draft.proposalIds, proposalId, true);
      // A proposal answering the other party's pending one supersedes it (R3).
      draft.pending = { proposalId, by, at, milestones };
      return;
    }
    case 'TermsAccepted': {
      const accepted = draft.pending;
      if (accepted === null) return;
      // Milestones the new terms delete are retired: their ids are never used again (R5).
      const previous = draft.active?.milestones;
      if (previous !== undefined) {
        const kept = new Set<string>();
        for (const m of accepted.milestones) kept.add(m.milestoneId);
        for (const m of previous)
          if (!kept.has(m.milestoneId))
            draft.retiredMilestoneIds = tableWith(draft.retiredMilestoneIds, m.milestoneId, true);
      }
      draft.active = { proposalId: accepted.proposalId, milestones: accepted.milestones };
      draft.pending = null;
      return;
    }
    case 'TermsDeclined':
    case 'TermsWithdrawn':
      draft.pending = null;
      return;
    default:
      assertNever(event, 'terms event');
  }
}
