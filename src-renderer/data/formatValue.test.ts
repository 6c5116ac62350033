import { describe, expect, it } from 'vitest';
import { formatValue } from './formatValue';

describe('formatValue', () => {
  it('rounds to three significant digits of the scale and never prints exponents', () => {
    expect(formatValue(6.716216)).toBe('6.72');
    expect(formatValue(13.944)).toBe('13.9');
    expect(formatValue(0.046214)).toBe('0.0462');
    expect(formatValue(4.99e-19, 0.046)).toBe('0');
    expect(formatValue(-0.5, 6.7)).toBe('-0.5');
    expect(formatValue(12345)).toBe('12.3k');
    expect(formatValue(2_500_000)).toBe('2.5M');
    expect(formatValue(Number.NaN)).toBe('—');
  });
});
