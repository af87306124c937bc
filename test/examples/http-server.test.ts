import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer } from '../../examples/http-server.js';
import { SEED_CAST } from '../../src/testing/seed.js';

describe('examples/http-server.ts: the handler behind node:http', () => {
  const server = createAppServer({ now: () => '2014-11-03T09:00:00Z' });
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  });

  const post = (party: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/jobs/logo/commands`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-party-id': party, ...headers },
      body: JSON.stringify(body),
    });

  it('plays a job over HTTP: award, terms, funding with an idempotency key, release', async () => {
    expect((await fetch(`${base}/jobs/logo`)).status).toBe(404);
    expect(
      (
        await post(SEED_CAST.client, {
          type: 'AwardJob',
          data: {
            jobId: 'logo',
            title: 'Logo design',
            clientId: SEED_CAST.client,
            freelancerId: SEED_CAST.freelancer,
            currency: 'USD',
          },
        })
      ).status,
    ).toBe(200);
    await post(SEED_CAST.client, {
      type: 'ProposeTerms',
      data: {
        proposalId: 'p1',
        milestones: [
          { milestoneId: 'm1', title: 'Start fee deposit', dueDate: '2014-11-03', amount: 7500 },
        ],
      },
    });
    const accepted = await post(SEED_CAST.freelancer, {
      type: 'AcceptTerms',
      data: { proposalId: 'p1' },
    });
    expect(accepted.headers.get('etag')).toBe('"3"');

    const fund = {
      type: 'FundMilestone',
      data: { milestoneId: 'm1', fundingId: 'fund-1', source: 'card:visa-4242' },
    };
    const first = await post(SEED_CAST.client, fund, { 'idempotency-key': 'pay-1' });
    expect(first.status).toBe(200);
    const firstBody = (await first.json()) as { version: number; events: unknown[] };
    expect(firstBody.version).toBe(4);
    // The network dropped the response; the client sends the same request again.
    const retry = await post(SEED_CAST.client, fund, { 'idempotency-key': 'pay-1' });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(((await retry.json()) as { events: unknown[] }).events).toEqual(firstBody.events);
    // The same key for another request is refused.
    const reused = await post(
      SEED_CAST.client,
      { ...fund, data: { ...fund.data, fundingId: 'fund-2' } },
      { 'idempotency-key': 'pay-1' },
    );
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });

    const stale = await post(
      SEED_CAST.client,
      { type: 'ReleaseFunds', data: { milestoneId: 'm1' } },
      { 'if-match': '"3"' },
    );
    expect(stale.status).toBe(412);
    const released = await post(
      SEED_CAST.client,
      { type: 'ReleaseFunds', data: { milestoneId: 'm1' } },
      { 'if-match': '"4"' },
    );
    expect(released.status).toBe(200);
    const job = (await (await fetch(`${base}/jobs/logo`)).json()) as {
      job: { status: string; totals: { released: number } };
    };
    expect(job.job).toMatchObject({ status: 'completed', totals: { released: 7500 } });
  });

  it('maps domain errors to HTTP statuses with the error as JSON', async () => {
    const stranger = await post('mallory', { type: 'ReleaseFunds', data: { milestoneId: 'm1' } });
    expect(stranger.status).toBe(403);
    expect(await stranger.json()).toMatchObject({ code: 'NOT_A_PARTY' });
    const again = await post(SEED_CAST.client, {
      type: 'ReleaseFunds',
      data: { milestoneId: 'm1' },
    });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({
      code: 'ALREADY_RELEASED',
      details: { rule: 'R10' },
    });
    const bad = await post(SEED_CAST.client, { type: 'ReleaseFunds', data: {} });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      code: 'INVALID_INPUT',
      details: { path: 'data.milestoneId' },
    });
    const notJson = await fetch(`${base}/jobs/logo/commands`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
  });
});
