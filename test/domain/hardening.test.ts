import { describe, expect, it } from 'vitest';
import {
  fold,
  parseCommand,
  parseEvent,
  verifyHistory,
  type JobCommandInput,
  type JobEvent,
} from '../../src/index.js';
import { RESERVED_METADATA_KEYS } from '../../src/domain/shared/schema.js';
import { activeLogo, caught, cmd, LOGO, LOGO_MILESTONES, play, VISA } from './helpers.js';

/*
 * Issue 16 in the wire format: text that is not well-formed UTF-16 (D3) and metadata keys an
 * object cannot hold as data (D10).
 */

const LONE = ['\ud800', '\udc00', 'Logo \udfff design', 'a\ud83d', '\ude00b'];

describe('D3: stored text is well-formed UTF-16', () => {
  it('D3: a title, description, note or source with a lone surrogate is INVALID_INPUT at its path', () => {
    for (const lone of LONE) {
      const cases: [unknown, string][] = [
        [{ ...cmd.award(LOGO), data: { ...cmd.award(LOGO).data, title: lone } }, 'data.title'],
        [
          {
            ...cmd.propose('client', 'p2', []),
            data: { proposalId: 'p2', milestones: [{ ...LOGO_MILESTONES[0], description: lone }] },
          },
          'data.milestones.0.description',
        ],
        [
          { ...cmd.fund('m1', 'f1'), data: { milestoneId: 'm1', fundingId: 'f1', source: lone } },
          'data.source',
        ],
        [{ ...cmd.close(), data: { reason: lone } }, 'data.reason'],
      ];
      for (const [command, path] of cases) {
        const error = caught(() => parseCommand(command));
        expect([error.code, error.details.path]).toEqual(['INVALID_INPUT', path]);
        expect(error.message).toContain('well-formed');
      }
    }
  });

  it('D3: an event with a lone surrogate is refused by parseEvent (fast path included) and verifyHistory', () => {
    const [award] = activeLogo() as [JobEvent, ...JobEvent[]];
    const bad = { ...award, data: { ...award.data, title: 'Logo \ud800' } };
    expect(caught(() => parseEvent(bad)).details.path).toBe('data.title');
    expect(caught(() => verifyHistory([bad])).code).toBe('INVALID_INPUT');
  });

  it('D3: surrogate pairs (emoji) are well-formed and count as one character', () => {
    const title = '😀'.repeat(200);
    const state = fold(
      play([], { ...cmd.award(LOGO), data: { ...cmd.award(LOGO).data, title } } as JobCommandInput),
    );
    expect(state.job.award?.title).toBe(title);
    expect(
      parseCommand({
        ...cmd.fund('m1', 'f1'),
        data: { milestoneId: 'm1', fundingId: 'f1', source: `${VISA} 🃏` },
      }),
    ).toBeDefined();
  });
});

describe('D10: metadata keys __proto__, constructor and prototype are refused, never dropped', () => {
  const [award] = activeLogo() as [JobEvent, ...JobEvent[]];
  it.each(RESERVED_METADATA_KEYS)(
    'D10: parseEvent refuses metadata key %s (it dropped it silently)',
    (key) => {
      // JSON.parse makes `__proto__` an own key, as a stored event's metadata would have it.
      const event = JSON.parse(
        JSON.stringify({ type: award.type, data: award.data }).replace(
          /}$/,
          `,"metadata":{"${key}":{"x":1},"ok":1}}`,
        ),
      ) as unknown;
      const error = caught(() => parseEvent(event));
      expect([error.code, error.details.path]).toEqual(['INVALID_INPUT', 'metadata']);
      expect(error.message).toContain(`the metadata key ${key} is reserved`);
    },
  );

  it('D10: other keys, and the reserved words nested in a value, are kept as given', () => {
    const metadata = JSON.parse('{"ok":1,"nested":{"__proto__":2,"constructor":3}}') as Record<
      string,
      unknown
    >;
    const parsed = parseEvent({ type: award.type, data: award.data, metadata });
    expect(parsed.metadata).toEqual(metadata);
  });
});
