import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parseKeySet, rotateKeySet, SecretsManagerKeySource, sdkSecretReader, serializeKeySet } from '../../adapters/aws/signing-keys';
import type { SigningKeySet } from '../../core/token';

const K0 = 'k0-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const K1 = 'k1-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const K2 = 'k2-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const SECRET_ID = 'dd/link-signing-keys';

const secretsManager = mockClient(SecretsManagerClient);
beforeEach(() => {
  secretsManager.reset();
});
afterAll(() => {
  secretsManager.restore();
});

/** A secret reader whose answers the test queues, one per read; it records the secret ids read. */
const queuedReader = (...answers: (string | undefined | Error)[]) => {
  const reads: string[] = [];
  const read = async (secretId: string) => {
    reads.push(secretId);
    const answer = answers.shift();
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { read, reads };
};

describe('parseKeySet', () => {
  it('reads the flat secret: the current kid, every other long string member as a key, and valid retirement dates', () => {
    // Act
    const keySet = parseKeySet(JSON.stringify({ currentKid: 'k1', k1: K1, k0: K0, retireAt: { k0: '2026-07-01T00:00:00Z' } }));

    // Assess
    expect(keySet).toStrictEqual({ currentKid: 'k1', keys: { k1: K1, k0: K0 }, retireAt: { k0: '2026-07-01T00:00:00Z' } });
  });

  it('takes a member of 32 characters or more as a key, and leaves out shorter strings and other values', () => {
    // Act
    const keySet = parseKeySet(
      JSON.stringify({
        currentKid: 'k1',
        k1: 'x'.repeat(32),
        short: 'x'.repeat(31),
        empty: '',
        n: 1e40,
        o: { a: K0 },
        list: Array.from({ length: 40 }, () => 'x'),
        lengthy: { length: 40 },
      }),
    );

    // Assess
    expect(keySet).toStrictEqual({ currentKid: 'k1', keys: { k1: 'x'.repeat(32) } });
  });

  it('has no retirement dates when the secret names none, none as date strings that parse, or not as an object', () => {
    // Act / Assess
    for (const retireAt of [undefined, null, {}, { k0: 'next summer', k2: 2026, k3: ['2026-07-01T00:00:00Z'] }, '2026-07-01T00:00:00Z', 7]) {
      const keySet = parseKeySet(JSON.stringify({ currentKid: 'k1', k1: K1, retireAt }));
      expect(keySet).toStrictEqual({ currentKid: 'k1', keys: { k1: K1 } });
    }
  });

  it('keeps only the retirement dates that parse', () => {
    // Act
    const keySet = parseKeySet(JSON.stringify({ currentKid: 'k2', k2: K2, retireAt: { k0: 'soon', k1: '2026-07-01T00:00:00Z' } }));

    // Assess
    expect(keySet.retireAt).toStrictEqual({ k1: '2026-07-01T00:00:00Z' });
  });

  it.each([['null'], ['"k1"'], ['42'], ['true']])('refuses a secret whose JSON (%s) is not an object', (value) => {
    // Act / Assess
    expect(() => parseKeySet(value)).toThrow('the signing-key secret is not a JSON object');
  });

  it.each([
    ['no currentKid', { k1: K1 }],
    ['a currentKid that is not a string', { currentKid: 1, k1: K1 }],
  ])('refuses a secret with %s', (_, secret) => {
    // Act / Assess
    expect(() => parseKeySet(JSON.stringify(secret))).toThrow('the signing-key secret has no currentKid');
  });

  it('refuses a secret that is not JSON at all', () => {
    // Act / Assess
    expect(() => parseKeySet('k1=secret')).toThrow(SyntaxError);
  });
});

describe('serializeKeySet', () => {
  it('writes the flat form Secrets Manager holds, with the retirement dates when there are any', () => {
    // Prepare
    const keySet: SigningKeySet = { currentKid: 'k1', keys: { k0: K0, k1: K1 }, retireAt: { k0: '2026-07-01T00:00:00Z' } };

    // Act
    const value = serializeKeySet(keySet);

    // Assess
    expect(JSON.parse(value)).toStrictEqual({ currentKid: 'k1', k0: K0, k1: K1, retireAt: { k0: '2026-07-01T00:00:00Z' } });
    expect(parseKeySet(value)).toStrictEqual(keySet);
  });

  it('writes no retireAt member when no key has a retirement date', () => {
    // Act / Assess
    expect(JSON.parse(serializeKeySet({ currentKid: 'k1', keys: { k1: K1 } }))).toStrictEqual({ currentKid: 'k1', k1: K1 });
    expect(JSON.parse(serializeKeySet({ currentKid: 'k1', keys: { k1: K1 }, retireAt: {} }))).toStrictEqual({ currentKid: 'k1', k1: K1 });
  });
});

describe('rotateKeySet', () => {
  it('adds the next numbered key as current and keeps every earlier one', () => {
    // Act
    const rotated = rotateKeySet({ currentKid: 'k1', keys: { k0: K0, k1: K1 } }, { newSecret: K2 });

    // Assess
    expect(rotated).toStrictEqual({ currentKid: 'k2', keys: { k0: K0, k1: K1, k2: K2 } });
  });

  it('numbers the new key after the highest number in use, whichever key is current', () => {
    // Act / Assess
    expect(rotateKeySet({ currentKid: 'k3', keys: { k3: K0, k12: K1 } }, { newSecret: K2 }).currentKid).toBe('k13');
    expect(rotateKeySet({ currentKid: 'k9', keys: { k9: K0, k2: K1 } }, { newSecret: K2 }).currentKid).toBe('k10');
  });

  it('does not count kids that are not k and a number', () => {
    // Act / Assess
    expect(rotateKeySet({ currentKid: 'legacy', keys: { legacy: K0 } }, { newSecret: K2 }).currentKid).toBe('k1');
    expect(rotateKeySet({ currentKid: 'k1', keys: { k1: K0, 'old-k7': K1, k8x: K1, K9: K1 } }, { newSecret: K2 }).currentKid).toBe('k2');
  });

  it('dates the previous current key when asked, keeping the dates already set', () => {
    // Prepare
    const keySet: SigningKeySet = { currentKid: 'k1', keys: { k0: K0, k1: K1 }, retireAt: { k0: '2026-05-01T00:00:00Z' } };

    // Act
    const rotated = rotateKeySet(keySet, { newSecret: K2, retirePreviousAt: '2026-07-01T00:00:00Z' });

    // Assess
    expect(rotated).toStrictEqual({
      currentKid: 'k2',
      keys: { k0: K0, k1: K1, k2: K2 },
      retireAt: { k0: '2026-05-01T00:00:00Z', k1: '2026-07-01T00:00:00Z' },
    });
  });

  it('keeps the dates already set and dates nothing new when no retirement is given', () => {
    // Prepare
    const keySet: SigningKeySet = { currentKid: 'k1', keys: { k0: K0, k1: K1 }, retireAt: { k0: '2026-05-01T00:00:00Z' } };

    // Act / Assess
    expect(rotateKeySet(keySet, { newSecret: K2 }).retireAt).toStrictEqual({ k0: '2026-05-01T00:00:00Z' });
    expect(rotateKeySet(keySet, { newSecret: K2, retirePreviousAt: '' }).retireAt).toStrictEqual({ k0: '2026-05-01T00:00:00Z' });
  });

  it('leaves the original key set as it was', () => {
    // Prepare
    const keySet: SigningKeySet = { currentKid: 'k1', keys: { k1: K1 }, retireAt: { k0: '2026-05-01T00:00:00Z' } };

    // Act
    rotateKeySet(keySet, { newSecret: K2, retirePreviousAt: '2026-07-01T00:00:00Z' });

    // Assess
    expect(keySet).toStrictEqual({ currentKid: 'k1', keys: { k1: K1 }, retireAt: { k0: '2026-05-01T00:00:00Z' } });
  });
});

describe('sdkSecretReader', () => {
  it('asks Secrets Manager for the named secret and answers its string value', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: '{"currentKid":"k1"}' });

    // Act
    const value = await sdkSecretReader(new SecretsManagerClient({ region: 'eu-west-1' }))(SECRET_ID);

    // Assess
    expect(value).toBe('{"currentKid":"k1"}');
    expect(secretsManager.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toStrictEqual([{ SecretId: SECRET_ID }]);
  });
});

describe('SecretsManagerKeySource', () => {
  const published = JSON.stringify({ currentKid: 'k1', k1: K1 });
  const rotated = JSON.stringify({ currentKid: 'k2', k1: K1, k2: K2 });

  it('reads the named secret once and answers the same key set after that', async () => {
    // Prepare
    const { read, reads } = queuedReader(published, rotated);
    const source = new SecretsManagerKeySource(read, SECRET_ID);

    // Act
    const [first, second] = await Promise.all([source.current(), source.current()]);
    const third = await source.current();

    // Assess
    expect(reads).toStrictEqual([SECRET_ID]);
    expect(first).toStrictEqual({ currentKid: 'k1', keys: { k1: K1 } });
    expect(second).toBe(first);
    expect(third).toBe(first);
  });

  it('reads the secret again on refresh, and answers the new key set from then on', async () => {
    // Prepare
    const { read, reads } = queuedReader(published, rotated);
    const source = new SecretsManagerKeySource(read, SECRET_ID);
    await source.current();

    // Act
    const refreshed = await source.refresh();
    const after = await source.current();

    // Assess
    expect(reads).toHaveLength(2);
    expect(refreshed.currentKid).toBe('k2');
    expect(after).toBe(refreshed);
  });

  it('does not keep a failed read: the next call reads again', async () => {
    // Prepare
    const { read, reads } = queuedReader(new Error('ThrottlingException'), published);
    const source = new SecretsManagerKeySource(read, SECRET_ID);

    // Act
    await expect(source.current()).rejects.toThrow('ThrottlingException');
    const keySet = await source.current();

    // Assess
    expect(reads).toHaveLength(2);
    expect(keySet.currentKid).toBe('k1');
  });

  it('refuses a secret with no string value (a binary secret), and reads again next time', async () => {
    // Prepare
    const { read, reads } = queuedReader(undefined, '', published);
    const source = new SecretsManagerKeySource(read, SECRET_ID);

    // Act / Assess
    await expect(source.current()).rejects.toThrow('the signing-key secret has no string value');
    await expect(source.current()).rejects.toThrow('the signing-key secret has no string value');
    expect((await source.current()).currentKid).toBe('k1');
    expect(reads).toHaveLength(3);
  });

  it('does not keep a secret it cannot parse', async () => {
    // Prepare
    const { read } = queuedReader('{"k1":"no current kid"}', published);
    const source = new SecretsManagerKeySource(read, SECRET_ID);

    // Act / Assess
    await expect(source.current()).rejects.toThrow('the signing-key secret has no currentKid');
    expect((await source.current()).currentKid).toBe('k1');
  });
});
