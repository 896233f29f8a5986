import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { toItem } from '../../adapters/dynamo/link-items';
import { aLink } from '../support/links';

// The SDK's own unmarshall, watched: what it is handed is what the download pays its ~7 µs per link for.
vi.mock('@aws-sdk/util-dynamodb', async (importOriginal) => {
  const sdk = await importOriginal<typeof import('@aws-sdk/util-dynamodb')>();
  return { ...sdk, unmarshall: vi.fn(sdk.unmarshall) };
});
const sdkUnmarshall = vi.mocked(unmarshall);

// Imported afresh, so that it binds the watched unmarshall even where an earlier test file loaded it (the mutation runs share modules).
let unmarshallFlat: typeof import('../../adapters/dynamo/flat-unmarshall').unmarshallFlat;
beforeAll(async () => {
  vi.resetModules();
  ({ unmarshallFlat } = await import('../../adapters/dynamo/flat-unmarshall'));
});

beforeEach(() => {
  sdkUnmarshall.mockClear();
});

describe("unmarshallFlat, the download's hot path", () => {
  it("reads a link item of strings, exact numbers and nulls without the SDK's unmarshall", () => {
    // Prepare: the item as DynamoDB returns it
    const link = aLink({ lastIp: null, downloadCount: 3, maxDownloads: 0, fileVersion: 2 });
    const item = marshall({ ...toItem(link), lastIp: null, updatedAt: null });

    // Act
    const read = unmarshallFlat(item);

    // Assess
    expect(sdkUnmarshall).not.toHaveBeenCalled();
    expect(read).toMatchObject({ id: link.id, downloadCount: 3, maxDownloads: 0, fileVersion: 2, lastIp: null, updatedAt: null });
  });

  it('hands the SDK only the attributes it does not read itself, one at a time', () => {
    // Prepare
    const item = { id: { S: 'L1' }, n: { N: '-12' }, tags: { SS: ['a'] }, big: { N: '9007199254740993' }, half: { N: '1.5' }, z: { NULL: true } as const };

    // Act
    const read = unmarshallFlat(item);

    // Assess
    expect(sdkUnmarshall.mock.calls.map(([arg]) => arg)).toStrictEqual([{ tags: { SS: ['a'] } }, { big: { N: '9007199254740993' } }, { half: { N: '1.5' } }]);
    expect(read).toStrictEqual({ id: 'L1', n: -12, tags: new Set(['a']), big: 9007199254740993n, half: 1.5, z: null });
  });
});
