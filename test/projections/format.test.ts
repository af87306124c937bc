import { describe, expect, it } from 'vitest';
import { formatDueDate, formatMoney, minorUnitDigits } from '../../src/projections/index.js';
import { oneLine, quoted } from '../../src/projections/format.js';

describe('formatMoney', () => {
  it('formats USD cents with two minor digits', () => {
    expect(formatMoney(7500, 'USD')).toBe('$75.00');
    expect(formatMoney(40000, 'USD')).toBe('$400.00');
    expect(formatMoney(5, 'USD')).toBe('$0.05');
    expect(formatMoney(0, 'USD')).toBe('$0.00');
  });

  it('formats JPY with no minor unit', () => {
    expect(minorUnitDigits('JPY')).toBe(0);
    expect(formatMoney(7500, 'JPY')).toBe('¥7,500');
  });

  it('formats KWD with three minor digits', () => {
    expect(minorUnitDigits('KWD')).toBe(3);
    expect(formatMoney(1500, 'KWD')).toBe('KWD\u00a01.500');
    expect(formatMoney(7, 'KWD')).toBe('KWD\u00a00.007');
  });

  it('keeps the largest safe amount exact (no float division)', () => {
    // 9007199254740991 cents: a float division by 100 would print …740,991.00 or round.
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'USD')).toBe('$90,071,992,547,409.91');
    expect(formatMoney(10n ** 30n + 1n, 'USD')).toBe('$10,000,000,000,000,000,000,000,000,000.01');
  });

  it('formats for another locale when asked', () => {
    expect(formatMoney(123450, 'EUR', 'de-DE')).toBe('1.234,50\u00a0€');
  });

  it('refuses amounts that are not safe integers', () => {
    // INVALID_INPUT at amount (it was a RangeError); a bigint of any size is exact.
    for (const amount of [75.5, 2 ** 53, Number.NaN, '7500'])
      expect(() => formatMoney(amount as number, 'USD')).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT', details: { path: 'amount' } }),
      );
    expect(formatMoney(2n ** 60n, 'USD')).toBe('$11,529,215,046,068,469.76');
  });

  it('refuses a locale or a currency Intl cannot read: INVALID_INPUT, not a RangeError', () => {
    expect(() => formatMoney(1, 'USD', 'not a locale')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', details: { path: 'locale' } }),
    );
    for (const currency of ['US', 'US D', '', 7])
      expect(() => formatMoney(1, currency as string)).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT', details: { path: 'currency' } }),
      );
  });
});

describe('formatDueDate', () => {
  it('writes due dates as the seed does, or as stored', () => {
    expect(formatDueDate('2014-11-10')).toBe('10 Nov 2014');
    expect(formatDueDate('2014-11-03')).toBe('3 Nov 2014');
    expect(formatDueDate('2014-11-03', 'iso')).toBe('2014-11-03');
    expect(formatDueDate('not a date')).toBe('not a date');
  });

  it('returns a date the calendar does not have as it is (2014-02-30 was 30 Feb 2014)', () => {
    for (const date of ['2014-02-30', '2014-04-31', '2015-02-29', '1900-02-29', '2014-11-00'])
      expect(formatDueDate(date)).toBe(date);
    // Leap days that exist, and the ends of the months, are still the seed's style.
    expect(formatDueDate('2016-02-29')).toBe('29 Feb 2016');
    expect(formatDueDate('2000-02-29')).toBe('29 Feb 2000');
    expect(formatDueDate('2014-04-30')).toBe('30 Apr 2014');
    expect(formatDueDate('2014-12-31')).toBe('31 Dec 2014');
  });
});

describe('untrusted text', () => {
  it('is kept to one line, with control characters and bidi overrides escaped', () => {
    expect(oneLine('a\nb\u001b[31mc\u202ed')).toBe('a\\u000ab\\u001b[31mc\\u202ed');
    expect(quoted('say "hi" \\ now')).toBe('"say \\"hi\\" \\\\ now"');
  });
});
