import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOB_SNAPSHOT_VERSION } from '../../src/store/index.js';
import { pages, ROOT } from './snippets.js';

/* The snapshot version the docs name is the one the library writes. */

describe('D12: the docs name the snapshot version the library writes', () => {
  it.each(pages())('D12: every job-state@N in %s is JOB_SNAPSHOT_VERSION', (page) => {
    const text = readFileSync(join(ROOT, page), 'utf8');
    const named = [...text.matchAll(/job-state@\d+/g)].map((m) => m[0]);
    expect(named.filter((version) => version !== JOB_SNAPSHOT_VERSION)).toEqual([]);
  });

  it('D12: docs/app.md names it', () => {
    expect(readFileSync(join(ROOT, 'docs/app.md'), 'utf8')).toContain(
      `\`${JOB_SNAPSHOT_VERSION}\``,
    );
  });
});
