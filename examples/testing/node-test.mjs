// The same helpers under node:test, in plain JavaScript (run: node --test examples/testing/node-test.mjs).
// #region node-test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { given, assertHistory, logoDesign } from 'milestone-escrow/testing';

test('a release pays the whole milestone', () => {
  const at = '2014-11-05T10:00:00Z';
  given(logoDesign.stages.accepted.events)
    .when({
      type: 'ReleaseFunds',
      actor: logoDesign.clientId,
      at,
      data: { milestoneId: 'm1' },
    })
    .then([{ type: 'FundsReleased', data: { milestoneId: 'm1', amount: 7500, fee: 0, at } }]);
});

test('the logo-design job conserves money all along', () => {
  const state = assertHistory(logoDesign.events);
  assert.equal(state.escrow.totals.released, 40000);
});
// #endregion node-test
