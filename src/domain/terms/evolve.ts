import type { Draft } from 'immer';
import { assertNever } from '../shared/never.js';
import { tableWith } from '../shared/table.js';
import type { TermsEvent } from './events.js';
import { milestonesToKeep, type TermsSlice } from './state.js';

/** Folds a terms event into the terms slice (a recipe: it changes the working copy it is given). */
export function evolveTerms(working: Draft<TermsSlice>, event: TermsEvent): void {
  switch (event.type) {
    case 'TermsProposed': {
      const { proposalId, by, at } = event.data;
      const milestones = milestonesToKeep(event.data.milestones);
      working.proposalIds = tableWith(working.proposalIds, proposalId, true);
      // A proposal answering the other party's pending one supersedes it (R3).
      working.pending = { proposalId, by, at, milestones };
      return;
    }
    case 'TermsAccepted': {
      const accepted = working.pending;
      if (accepted === null) return;
      // Milestones the new terms delete are retired: their ids are never used again (R5).
      const previous = working.active?.milestones;
      if (previous !== undefined) {
        const kept = new Set<string>();
        for (const m of accepted.milestones) kept.add(m.milestoneId);
        for (const m of previous)
          if (!kept.has(m.milestoneId))
            working.retiredMilestoneIds = tableWith(
              working.retiredMilestoneIds,
              m.milestoneId,
              true,
            );
      }
      working.active = { proposalId: accepted.proposalId, milestones: accepted.milestones };
      working.pending = null;
      return;
    }
    case 'TermsDeclined':
    case 'TermsWithdrawn':
      working.pending = null;
      return;
    default:
      assertNever(event, 'terms event');
  }
}
