import { describe, expect, it } from 'vitest';
import { splitBySize } from '../../core/use-cases/announce-invoice';

describe('splitBySize', () => {
  it('keeps every item, in order, in groups whose JSON stays under the limit', () => {
    // Prepare: 1,000 links of ~250 bytes, as a large invoice announces them
    const items = Array.from({ length: 1000 }, (_, i) => ({ id: `link-${i}`, downloadUrl: `https://shop.example.com/downloads/${'x'.repeat(200)}` }));

    // Act
    const groups = splitBySize(items, 200_000);

    // Assess
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.flat()).toEqual(items);
    for (const group of groups) expect(Buffer.byteLength(JSON.stringify(group))).toBeLessThanOrEqual(200_000);
  });

  it('makes one group of a small list, and one (empty) group of none', () => {
    expect(splitBySize([{ a: 1 }, { a: 2 }], 200_000)).toEqual([[{ a: 1 }, { a: 2 }]]);
    expect(splitBySize([], 200_000)).toEqual([[]]);
  });
});
