/*
 * The reference model's commands (escrow-model.prop.test.ts): each predicts from the model
 * whether the real decider accepts it, runs it on both and compares the money (escrow-model.ts).
 */
import { fc } from '@fast-check/vitest';
import type { Milestone } from '../../src/index.js';
import {
  ACTORS,
  SOURCES,
  aim,
  amountIn,
  at,
  candidates,
  heldOf,
  refund,
  refundPrefunds,
  roleOf,
  run,
  type Model,
  type Real,
  type Role,
  type Who,
} from './escrow-model.js';

export class Propose implements fc.Command<Model, Real> {
  constructor(
    readonly who: Who,
    readonly edits: readonly {
      kind: 'reduce' | 'raise' | 'delete' | 'add' | 'swap';
      pick: number;
      amount: number;
    }[],
  ) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    const { active, pending } = model;
    const role = roleOf(
      this.who,
      pending === null ? 'client' : pending.by === 'client' ? 'freelancer' : 'client',
    );
    const fresh = (amount: number): Milestone => {
      model.next.milestone += 1;
      return {
        milestoneId: `m${String(model.next.milestone)}`,
        title: 'Milestone',
        description: '',
        dueDate: '2014-11-24',
        amount,
      };
    };
    const list: Milestone[] = (pending?.milestones ?? active ?? []).map((m) => ({ ...m }));
    if (list.length === 0) list.push(fresh(7500), fresh(10000));
    for (const m of active ?? []) {
      if (!model.released.has(m.milestoneId)) continue;
      const i = list.findIndex((x) => x.milestoneId === m.milestoneId);
      if (i >= 0) list[i] = { ...m };
      else list.push({ ...m });
    }
    for (const edit of this.edits) {
      const editable = list.filter((m) => !model.released.has(m.milestoneId));
      // Raises aim at fully funded milestones (a second funding then tops them up) and reductions
      // at funded ones, split over several fundings first: R9's newest-first refunds.
      const holding = (m: Milestone): number =>
        (model.fundings.get(m.milestoneId) ?? []).filter((f) => f.held > 0).length;
      const prefer = (...pools: Milestone[][]): Milestone[] =>
        pools.find((p) => p.length > 0) ?? [];
      const pool =
        edit.kind === 'raise'
          ? prefer(
              editable.filter((m) => holding(m) > 0 && heldOf(model, m.milestoneId) === m.amount),
              editable,
            )
          : edit.kind === 'reduce'
            ? prefer(
                editable.filter((m) => holding(m) >= 2),
                editable.filter((m) => holding(m) > 0),
                editable,
              )
            : editable;
      const target = pool[edit.pick % Math.max(1, pool.length)];
      if (edit.kind === 'add') list.splice(edit.pick % (list.length + 1), 0, fresh(edit.amount));
      else if (target === undefined) continue;
      else if (edit.kind === 'reduce' && target.amount > 1)
        target.amount = 1 + (edit.amount % (target.amount - 1));
      else if (edit.kind === 'raise') target.amount += edit.amount;
      else if (edit.kind === 'delete' && list.length > 1) list.splice(list.indexOf(target), 1);
      else if (edit.kind === 'swap') list.reverse();
    }
    model.next.proposal += 1;
    const proposalId = `p${String(model.next.proposal)}`;
    const accepted =
      role !== 'stranger' &&
      !model.closed &&
      !(active === null && pending === null && role === 'freelancer') &&
      pending?.by !== role;
    run(
      model,
      real,
      {
        type: 'ProposeTerms',
        actor: ACTORS[role],
        at: at(model),
        data: { proposalId, milestones: list },
      },
      accepted,
      () => {
        if (pending !== null) refundPrefunds(model, pending.milestones);
        model.pending = { proposalId, by: role as Role, milestones: list };
      },
    );
  }
  toString(): string {
    return `Propose(${this.who}, ${JSON.stringify(this.edits)})`;
  }
}

export class Answer implements fc.Command<Model, Real> {
  constructor(
    readonly kind: 'AcceptTerms' | 'DeclineTerms' | 'WithdrawTerms',
    readonly who: Who,
  ) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    const { pending } = model;
    const proposer: Role = pending?.by ?? 'client';
    const answerer: Role = proposer === 'client' ? 'freelancer' : 'client';
    const role = roleOf(this.who, this.kind === 'WithdrawTerms' ? proposer : answerer);
    const stale =
      pending !== null &&
      (model.active ?? []).some((m) => {
        if (!model.released.has(m.milestoneId)) return false;
        const carried = pending.milestones.find((x) => x.milestoneId === m.milestoneId);
        return carried === undefined || JSON.stringify({ ...carried }) !== JSON.stringify({ ...m });
      });
    const rightParty = this.kind === 'WithdrawTerms' ? role === proposer : role === answerer;
    const accepted =
      role !== 'stranger' &&
      !model.closed &&
      pending !== null &&
      rightParty &&
      !(this.kind === 'AcceptTerms' && stale);
    const command = {
      type: this.kind,
      actor: ACTORS[role],
      at: at(model),
      data: { proposalId: pending?.proposalId ?? 'p-none' },
    };
    run(model, real, command, accepted, () => {
      if (pending === null) return;
      if (this.kind === 'AcceptTerms') {
        for (const m of model.active ?? []) {
          const next = amountIn(pending.milestones, m.milestoneId);
          const held = heldOf(model, m.milestoneId);
          if (next === undefined) {
            refund(model, m.milestoneId, held);
          } else if (next < held) {
            model.seen.add('reduction');
            refund(model, m.milestoneId, held - next);
          }
        }
        model.active = pending.milestones;
      } else {
        refundPrefunds(model, pending.milestones);
      }
      model.pending = null;
    });
  }
  toString(): string {
    return `${this.kind}(${this.who})`;
  }
}

export class Fund implements fc.Command<Model, Real> {
  constructor(
    readonly pick: number,
    readonly source: number,
    readonly who: Who,
    readonly guard: boolean,
  ) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    const need = (id: string): number =>
      (amountIn(model.active, id) ?? amountIn(model.pending?.milestones, id) ?? 0) -
      heldOf(model, id);
    const ids = aim(this.who, candidates(model), (id) => !model.released.has(id) && need(id) > 0);
    const id = ids[this.pick % ids.length] ?? 'm-ghost';
    const role = roleOf(this.who, 'client');
    // Funding an active milestone measures the active amount; else the pending proposal's (R6, R7).
    const amount = amountIn(model.active, id) ?? amountIn(model.pending?.milestones, id);
    const remainder = amount === undefined ? 0 : amount - heldOf(model, id);
    const accepted =
      role === 'client' &&
      !model.closed &&
      amount !== undefined &&
      !model.released.has(id) &&
      remainder > 0;
    model.next.funding += 1;
    const fundingId = `f${String(model.next.funding)}`;
    const source = SOURCES[this.source % SOURCES.length] ?? 'card';
    const data =
      this.guard && remainder > 0
        ? { milestoneId: id, fundingId, source, amount: remainder }
        : { milestoneId: id, fundingId, source };
    run(
      model,
      real,
      { type: 'FundMilestone', actor: ACTORS[role], at: at(model), data },
      accepted,
      () => {
        const list = model.fundings.get(id) ?? [];
        if (heldOf(model, id) > 0) model.seen.add('topUp');
        list.push({
          fundingId,
          source,
          amount: remainder,
          held: remainder,
          released: 0,
          refunded: 0,
        });
        model.fundings.set(id, list);
      },
    );
  }
  toString(): string {
    return `Fund(${String(this.pick)}, ${String(this.source)}, ${this.who}, ${String(this.guard)})`;
  }
}

export class Release implements fc.Command<Model, Real> {
  constructor(
    readonly pick: number,
    readonly who: Who,
  ) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    // The party leaves milestones topped up by a second funding alone, so that reductions can
    // split their refunds over several fundings (R9: newest first); others still release them.
    const split = (id: string): boolean =>
      (model.fundings.get(id) ?? []).filter((f) => f.held > 0).length >= 2;
    const ids = aim(
      this.who,
      candidates(model),
      (id) =>
        !model.released.has(id) && heldOf(model, id) === amountIn(model.active, id) && !split(id),
    );
    const id = ids[this.pick % ids.length] ?? 'm-ghost';
    const role = roleOf(this.who, 'client');
    const amount = amountIn(model.active, id);
    const accepted =
      role === 'client' &&
      !model.closed &&
      amount !== undefined &&
      !model.released.has(id) &&
      heldOf(model, id) === amount;
    run(
      model,
      real,
      { type: 'ReleaseFunds', actor: ACTORS[role], at: at(model), data: { milestoneId: id } },
      accepted,
      () => {
        for (const f of model.fundings.get(id) ?? []) {
          f.released += f.held;
          f.held = 0;
        }
        model.released.add(id);
        model.seen.add('release');
      },
    );
  }
  toString(): string {
    return `Release(${String(this.pick)}, ${this.who})`;
  }
}

export class RefundMilestone implements fc.Command<Model, Real> {
  constructor(
    readonly pick: number,
    readonly who: Who,
  ) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    const ids = candidates(model);
    const id = ids[this.pick % ids.length] ?? 'm-ghost';
    const role = roleOf(this.who, 'freelancer');
    const accepted =
      role === 'freelancer' &&
      !model.closed &&
      amountIn(model.active, id) !== undefined &&
      !model.released.has(id) &&
      heldOf(model, id) > 0;
    run(
      model,
      real,
      { type: 'RefundMilestone', actor: ACTORS[role], at: at(model), data: { milestoneId: id } },
      accepted,
      () => {
        refund(model, id, heldOf(model, id));
      },
    );
  }
  toString(): string {
    return `RefundMilestone(${String(this.pick)}, ${this.who})`;
  }
}

export class Close implements fc.Command<Model, Real> {
  /**
   * Closes once every active milestone is released; with `early`, also tries while money is held
   * or a proposal is pending (to be refused). A job is never closed before its first funding.
   */
  constructor(
    readonly who: Who,
    readonly early: boolean,
  ) {}
  check(model: Readonly<Model>): boolean {
    const completed =
      model.active !== null && model.active.every((m) => model.released.has(m.milestoneId));
    const refused =
      [...model.fundings.keys()].some((id) => heldOf(model, id) > 0) || model.pending !== null;
    return completed || (this.early && refused);
  }
  run(model: Model, real: Real): void {
    const role = roleOf(this.who, 'client');
    const held = [...model.fundings.keys()].reduce((sum, id) => sum + heldOf(model, id), 0);
    const accepted = role === 'client' && !model.closed && held === 0 && model.pending === null;
    run(
      model,
      real,
      { type: 'CloseJob', actor: ACTORS[role], at: at(model), data: {} },
      accepted,
      () => {
        model.closed = true;
        model.seen.add('closed');
      },
    );
  }
  toString(): string {
    return `Close(${this.who}, ${String(this.early)})`;
  }
}
