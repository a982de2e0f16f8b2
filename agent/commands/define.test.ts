import { describe, expect, it } from 'vitest';
import { parsePrice } from './define.js';

describe('--price', () => {
  it('reads IN,OUT as USD per million input and output tokens, and refuses anything else with the format', () => {
    expect(parsePrice('0.8, 4')).toEqual({ input_per_million: 0.8, output_per_million: 4 });
    expect(() => parsePrice('0.8')).toThrow('expected IN,OUT in USD per million tokens, e.g. 0.8,4');
    expect(() => parsePrice('1,2,3')).toThrow(/IN,OUT/);
    expect(() => parsePrice('-1,2')).toThrow(/IN,OUT/);
  });
});
