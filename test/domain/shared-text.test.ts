import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { fold, type JobEvent } from '../../src/index.js';
import { tableEntries } from '../../src/domain/shared/table.js';
import { sharedText } from '../../src/domain/shared/shared-text.js';
import { accessStory, logoStory } from './stories.js';

// Which copy of a string a state holds cannot be seen from JavaScript (strings are values): what
// can be, and is held here, is that sharing never changes a text. The memory it saves is measured
// in the bench (bench/RESULTS.md, "Eighth session": the CLI's live heap after a 1,000,000-event
// replay).
describe('sharedText', () => {
  test.prop([fc.array(fc.string({ maxLength: 12 }), { maxLength: 60 })])(
    'hands back a text equal to the one given, however many texts came before',
    (texts) => {
      for (const text of texts) expect(sharedText(text)).toBe(text);
      // A fresh copy of a kept text (built, not a literal) comes back equal too.
      for (const text of texts) expect(sharedText(`${text}!`.slice(0, -1))).toBe(text);
    },
  );

  it('keeps each funding source as its event gave it', () => {
    for (const events of [logoStory(), accessStory()]) {
      // Fresh copies of every string (a JSON round trip), and more sources than it keeps.
      const copies = JSON.parse(JSON.stringify(events)) as JobEvent[];
      let n = 0;
      const renamed = copies.map((e) =>
        e.type === 'MilestoneFunded'
          ? { ...e, data: { ...e.data, source: `card:${String(n++ % 11)}` } }
          : e,
      );
      const sources = renamed.flatMap((e) => (e.type === 'MilestoneFunded' ? [e.data.source] : []));
      const state = fold(renamed);
      const held = tableEntries(state.escrow.milestones).flatMap(([, m]) =>
        m.fundings.map((f) => f.source),
      );
      expect(held.sort()).toEqual([...sources].sort());
      expect(sources.length).toBeGreaterThan(0);
    }
  });
});
