import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEPLOYED_ENV as REQUIRED } from '../support/function-env';

const original = process.env;
const { POWERTOOLS_LOG_LEVEL, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED } = original;

/** config() as a cold start sees it: a fresh module, reading this environment only. */
const coldStart = async (env: Record<string, string>) => {
  process.env = { POWERTOOLS_LOG_LEVEL, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED, ...env };
  vi.resetModules();
  return (await import('../../functions/shared/config')).config;
};

afterEach(() => {
  process.env = original;
});

describe('the functions’ configuration', () => {
  it('takes the values it is given, and the defaults for the rest', async () => {
    // Act
    const config = (await coldStart({ ...REQUIRED, SHOP_NAME: 'Tiny Shop', UPLOAD_URL_TTL_SECONDS: '600' }))();

    // Assess
    expect(config).toMatchObject({ ...REQUIRED, SHOP_NAME: 'Tiny Shop', UPLOAD_URL_TTL_SECONDS: 600 });
    expect(config).toMatchObject({
      AWS_REGION: 'us-east-1',
      EVENT_BUS_NAME: 'default',
      SENDER_EMAIL: 'downloads@shop.example.com',
      LICENSE_CERTIFICATE_TTL_SECONDS: 7 * 86_400,
      PRESIGNED_URL_TTL_SECONDS: 120,
      MULTIPART_THRESHOLD_BYTES: 16 * 1024 * 1024,
    });
    expect(config.DEAD_LETTER_QUEUE_URL).toBeUndefined();
  });

  it('is read once, at cold start: a later change of the environment is not seen', async () => {
    // Prepare
    const config = await coldStart({ ...REQUIRED });
    config();

    // Act
    process.env.LINKS_TABLE = 'Elsewhere';
    delete process.env.INVOICES_TABLE;

    // Assess
    expect(config().LINKS_TABLE).toBe('Links');
    expect(config().INVOICES_TABLE).toBe('Invoices');
  });

  it('fails the cold start loudly, naming each missing or wrong value', async () => {
    // Prepare
    const { LINKS_TABLE: _missing, ...rest } = REQUIRED;
    const config = await coldStart({ ...rest, PUBLIC_BASE_URL: 'not a url', PRESIGNED_URL_TTL_SECONDS: '301' });

    // Act / Assess
    expect(() => config()).toThrow('invalid configuration: LINKS_TABLE: invalid_type; PUBLIC_BASE_URL: invalid_format; PRESIGNED_URL_TTL_SECONDS: too_big');
  });

  it.each([
    ['LICENSE_CERTIFICATE_TTL_SECONDS', 60, 90 * 86_400],
    ['UPLOAD_URL_TTL_SECONDS', 60, 7 * 86_400],
    ['MULTIPART_THRESHOLD_BYTES', 5 * 1024 * 1024, 5 * 1024 ** 4],
  ])('takes %s from %d to %d, and nothing outside', async (key, min, max) => {
    for (const [value, ok] of [
      [min, true],
      [max, true],
      [min - 1, false],
      [max + 1, false],
      [min + 0.5, false],
    ] as const) {
      const config = await coldStart({ ...REQUIRED, [key]: String(value) });
      if (ok) expect(config()).toMatchObject({ [key]: value });
      else expect(() => config(), `${key}=${value}`).toThrow(`invalid configuration: ${key}: `);
    }
  });
});
