import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_FILE_SIZE, partSizeFor } from '../../core/use-cases/upload-files';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
const TIB = 1024 * GIB;
const anySize = fc.bigInt({ min: 1n, max: BigInt(MAX_FILE_SIZE) }).map(Number);

describe('partSizeFor', () => {
  it('sets the 5 TiB limit', () => {
    // Act / Assess
    expect(MAX_FILE_SIZE).toBe(5 * TIB);
  });

  it('uses 8 MiB parts for files that fit in 10,000 of them', () => {
    // Act / Assess
    expect(partSizeFor(1)).toBe(8 * MIB);
    expect(partSizeFor(100 * MIB)).toBe(8 * MIB);
    expect(partSizeFor(80_000 * MIB)).toBe(8 * MIB);
  });

  it('grows the part size just past 10,000 parts of 8 MiB', () => {
    // Act
    const size = partSizeFor(80_000 * MIB + 1);

    // Assess
    expect(size).toBe(9 * MIB);
  });

  it('fits a 5 TiB file into at most 10,000 parts of at most 5 GiB', () => {
    // Act
    const size = partSizeFor(5 * TIB);

    // Assess
    expect(Math.ceil((5 * TIB) / size)).toBeLessThanOrEqual(10_000);
    expect(size).toBeLessThanOrEqual(5 * GIB);
    expect(size).toBe(525 * MIB);
  });

  it('for any size up to 5 TiB: at least 8 MiB, a whole number of MiB, at most 10,000 parts, and the smallest such size', () => {
    fc.assert(
      fc.property(anySize, (bytes) => {
        // Act
        const size = partSizeFor(bytes);

        // Assess
        expect(size).toBeGreaterThanOrEqual(8 * MIB);
        expect(size % MIB).toBe(0);
        expect(Math.ceil(bytes / size)).toBeLessThanOrEqual(10_000);
        expect(size).toBeLessThanOrEqual(5 * GIB);
        if (size > 8 * MIB) expect(Math.ceil(bytes / (size - MIB))).toBeGreaterThan(10_000);
      }),
      { numRuns: 2000 },
    );
  });

  it('holds exactly at the multiples of 10,000 MiB where the part size steps up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 524 }), fc.integer({ min: -1, max: 1 }), (mib, delta) => {
        // Prepare
        const bytes = mib * 10_000 * MIB + delta;

        // Act
        const size = partSizeFor(bytes);

        // Assess
        expect(Math.ceil(bytes / size)).toBeLessThanOrEqual(10_000);
        expect(size).toBe(delta > 0 ? (mib + 1) * MIB : mib * MIB);
      }),
    );
  });
});
