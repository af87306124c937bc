// Writes one long, valid job history as NDJSON: the award, terms of two milestones, m1 funded,
// then rounds of work submitted / changes requested on m1, and finally m1 released. The job's
// state stays the same size however long the history grows, so a streaming replay's memory
// must too. Usage: node history-file.mjs FILE EVENTS
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export async function writeHistory(file, total) {
  if (total < 6 || total % 2 !== 0) throw new Error('EVENTS must be an even number ≥ 6');
  const out = createWriteStream(file);
  const base = Date.parse('2014-11-03T09:00:00Z');
  const at = (i) => new Date(base + i * 1000).toISOString().replace('.000Z', 'Z');
  const head = [
    {
      type: 'JobAwarded',
      data: {
        jobId: 'logo',
        title: 'Logo design',
        clientId: 'client-1',
        freelancerId: 'freelancer-1',
        currency: 'USD',
        at: at(0),
      },
    },
    {
      type: 'TermsProposed',
      data: {
        proposalId: 'p1',
        by: 'client',
        milestones: [
          {
            milestoneId: 'm1',
            title: 'Start fee deposit',
            description: '',
            dueDate: '2014-11-03',
            amount: 7500,
          },
          {
            milestoneId: 'm2',
            title: '6 concepts',
            description: '',
            dueDate: '2014-11-10',
            amount: 7500,
          },
        ],
        at: at(1),
      },
    },
    { type: 'TermsAccepted', data: { proposalId: 'p1', by: 'freelancer', at: at(2) } },
    {
      type: 'MilestoneFunded',
      data: {
        milestoneId: 'm1',
        fundingId: 'f1',
        amount: 7500,
        source: 'card:visa-4242',
        at: at(3),
      },
    },
  ];
  let buffer = head.map((e) => JSON.stringify(e)).join('\n') + '\n';
  let i = head.length;
  const rounds = (total - head.length - 2) / 2;
  for (let r = 0; r < rounds; r++) {
    buffer += `{"type":"WorkSubmitted","data":{"milestoneId":"m1","note":"draft ${r}","at":"${at(i++)}"}}\n`;
    buffer += `{"type":"ChangesRequested","data":{"milestoneId":"m1","note":"round ${r}","at":"${at(i++)}"}}\n`;
    if (buffer.length > 1 << 16) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  buffer += `{"type":"WorkSubmitted","data":{"milestoneId":"m1","at":"${at(i++)}"}}\n`;
  buffer += `{"type":"FundsReleased","data":{"milestoneId":"m1","amount":7500,"at":"${at(i++)}"}}\n`;
  out.end(buffer);
  await once(out, 'finish');
  return i;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = await writeHistory(process.argv[2], Number(process.argv[3] ?? 1_000_000));
  process.stdout.write(`${n} events\n`);
}
