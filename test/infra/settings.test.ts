import { describe, it, expect } from 'vitest';
import { App } from 'aws-cdk-lib';
import { EXAMPLE_CONFIGURATION, readSettings } from '../../lib/settings';
import { assemblyDir, CDK_JSON_CONTEXT, SHOP_CONTEXT } from './build-app';

const settingsWith = (context: Record<string, unknown>) =>
  readSettings(new App({ outdir: assemblyDir(), context: { ...CDK_JSON_CONTEXT, ...SHOP_CONTEXT, ...context } }).node);
const exampleWith = (context: Record<string, unknown>) => readSettings(new App({ outdir: assemblyDir(), context: { ...CDK_JSON_CONTEXT, ...context } }).node);

describe('deployment settings', () => {
  it("reads a shop's values, with every optional setting at its default", () => {
    expect(settingsWith({})).toEqual({
      jwtIssuer: SHOP_CONTEXT.jwtIssuer,
      webClientId: SHOP_CONTEXT.webClientId,
      customerClientId: SHOP_CONTEXT.customerClientId,
      jwtAudience: [SHOP_CONTEXT.webClientId, SHOP_CONTEXT.customerClientId],
      shopUrl: SHOP_CONTEXT.shopUrl,
      senderEmail: SHOP_CONTEXT.senderEmail,
      senderIdentity: 'email',
      sandboxRecipients: [],
      storefrontAccountIds: [],
      presignedUrlTtlSeconds: 120,
      apiRateLimit: 200,
      apiBurstLimit: 400,
      downloadRateLimit: 100,
      downloadBurstLimit: 200,
      downloadRateLimitPerCustomer: 120,
      downloadBurstLimitPerCustomer: 60,
      placeholders: [],
    });
  });

  it('ships no shop values in cdk.json: a clone synthesizes the labelled example configuration', () => {
    for (const key of Object.keys(EXAMPLE_CONFIGURATION)) expect(CDK_JSON_CONTEXT[key], key).toBeUndefined();
    const example = exampleWith({});
    expect(example).toMatchObject(EXAMPLE_CONFIGURATION);
    expect(example.placeholders).toEqual(['jwtIssuer', 'webClientId', 'shopUrl', 'senderEmail']);
  });

  it.each([
    ['jwtIssuer', 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE'],
    ['jwtIssuer', 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_XXXXXXXXX'],
    ['webClientId', '<your-client-id>'],
    ['shopUrl', 'https://shop.example.com'],
    ['shopUrl', 'https://my-shop.test'],
    ['senderEmail', 'downloads@shop.example.org'],
  ])('treats %s=%s as a placeholder, not a value', (key, value) => {
    expect(settingsWith({ [key]: value }).placeholders).toEqual([key]);
  });

  it('treats a placeholder customer page client or public base URL as one too', () => {
    expect(settingsWith({ customerClientId: 'EXAMPLE-customer', publicBaseUrl: 'https://downloads.example.com' }).placeholders).toEqual([
      'customerClientId',
      'publicBaseUrl',
    ]);
  });

  it('accepts the web clients as audiences by themselves, and adds the extra audiences after them', () => {
    expect(settingsWith({ customerClientId: '' }).jwtAudience).toEqual([SHOP_CONTEXT.webClientId]);
    expect(settingsWith({ jwtAudience: `storefront-app, ${SHOP_CONTEXT.webClientId}` }).jwtAudience).toEqual([
      SHOP_CONTEXT.webClientId,
      SHOP_CONTEXT.customerClientId,
      'storefront-app',
    ]);
    expect(settingsWith({ jwtAudience: '["storefront-app"]' }).jwtAudience).toContain('storefront-app');
  });

  it('reserves no concurrency unless asked, and refuses a reservation below the queue’s maximum concurrency', () => {
    expect(settingsWith({}).paymentEventsConcurrency).toBeUndefined();
    expect(settingsWith({ paymentEventsConcurrency: '0' }).paymentEventsConcurrency).toBeUndefined();
    expect(settingsWith({ paymentEventsConcurrency: '25' }).paymentEventsConcurrency).toBe(25);
    expect(() => settingsWith({ paymentEventsConcurrency: '2' })).toThrowError(
      /paymentEventsConcurrency: must be a whole number from 5 \(the queue's maximum concurrency\)/,
    );
  });

  it('reads numbers given with -c, which arrive as strings', () => {
    const settings = settingsWith({
      presignedUrlTtlSeconds: '300',
      apiRateLimit: '50',
      apiBurstLimit: '80',
      downloadRateLimit: '20',
      downloadBurstLimit: '40',
      downloadRateLimitPerCustomer: '0',
      downloadBurstLimitPerCustomer: '5',
      alarmEmail: ' ops@adas-books.co.uk ',
    });

    expect(settings).toMatchObject({
      presignedUrlTtlSeconds: 300,
      apiRateLimit: 50,
      apiBurstLimit: 80,
      downloadRateLimit: 20,
      downloadBurstLimit: 40,
      downloadRateLimitPerCustomer: 0,
      downloadBurstLimitPerCustomer: 5,
      alarmEmail: 'ops@adas-books.co.uk',
    });
  });

  it('reads the storefront accounts and the sandbox recipients as lists, and refuses malformed ones', () => {
    expect(settingsWith({ storefrontAccountIds: '111122223333, 444455556666' }).storefrontAccountIds).toEqual(['111122223333', '444455556666']);
    expect(settingsWith({ sandboxRecipients: 'ada@adas-books.co.uk' }).sandboxRecipients).toEqual(['ada@adas-books.co.uk']);
    expect(() => settingsWith({ storefrontAccountIds: '1234' })).toThrowError(/storefrontAccountIds: must be 12-digit AWS account ids/);
    expect(() => settingsWith({ sandboxRecipients: 'ada' })).toThrowError(/sandboxRecipients: must be email addresses/);
  });

  it('takes a custom domain only with its us-east-1 certificate', () => {
    expect(() => settingsWith({ domainName: 'downloads.adas-books.co.uk' })).toThrowError(/domainName and certificateArn: give both/);
    expect(() => settingsWith({ domainName: 'downloads.adas-books.co.uk', certificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/abc' })).toThrowError(
      /certificateArn: must be an ACM certificate ARN in us-east-1/,
    );
  });

  it('takes the DKIM zone only for a domain identity', () => {
    expect(settingsWith({ senderIdentity: 'domain', hostedZoneId: 'Z0123456789ABC' })).toMatchObject({
      senderIdentity: 'domain',
      hostedZoneId: 'Z0123456789ABC',
    });
    expect(() => settingsWith({ hostedZoneId: 'Z0123456789ABC' })).toThrowError(/hostedZoneId: only used with senderIdentity=domain/);
    expect(() => settingsWith({ senderIdentity: 'dkim' })).toThrowError(/senderIdentity: must be email .* domain .* or existing/);
  });

  it('refuses the retired webOrigins key with what replaced it', () => {
    expect(() => settingsWith({ webOrigins: 'https://d1.cloudfront.net' })).toThrowError(
      /webOrigins: no longer needed: the pages and the API are served from the same CloudFront distribution/,
    );
  });

  it('refuses an OIDC client id with spaces', () => {
    const attempt = () => settingsWith({ webClientId: 'my console', customerClientId: 'a b' });

    expect(attempt).toThrowError(/webClientId: must be an OAuth client id/);
    expect(attempt).toThrowError(/customerClientId: must be an OAuth client id.*-c customerClientId=/);
  });

  it.each([9, 301, '12.5', 'two minutes', -120])('refuses a presigned URL lifetime of %j (the functions accept 10 to 300 s)', (ttl) => {
    expect(() => settingsWith({ presignedUrlTtlSeconds: ttl })).toThrowError(/presignedUrlTtlSeconds: must be a whole number of seconds from 10 to 300/);
  });

  it('refuses a download route limit above the limit of the other routes', () => {
    const attempt = () => settingsWith({ apiRateLimit: 100, apiBurstLimit: 150, downloadRateLimit: 101, downloadBurstLimit: 151 });

    expect(attempt).toThrowError(/downloadRateLimit: must be a whole number from 1 to apiRateLimit \(100\)/);
    expect(attempt).toThrowError(/downloadBurstLimit: must be a whole number from 1 to apiBurstLimit \(150\)/);
  });

  it('refuses limits that are not positive whole numbers', () => {
    const attempt = () => settingsWith({ apiRateLimit: 0, apiBurstLimit: 'lots', downloadBurstLimitPerCustomer: 0 });

    expect(attempt).toThrowError(/apiRateLimit: must be a whole number from 1 to 10000; got 0/);
    expect(attempt).toThrowError(/apiBurstLimit: must be a whole number from 1 to 5000; got "lots"/);
    expect(attempt).toThrowError(/downloadBurstLimitPerCustomer: must be a whole number from 1/);
  });

  it('drops a trailing slash from the shop and public base URLs', () => {
    expect(settingsWith({ shopUrl: 'https://adas-books.co.uk/store/', publicBaseUrl: 'https://adas-books.co.uk/' })).toMatchObject({
      shopUrl: 'https://adas-books.co.uk/store',
      publicBaseUrl: 'https://adas-books.co.uk',
    });
  });

  it('names every bad value at once, with an example', () => {
    const attempt = () => settingsWith({ jwtIssuer: 'http://issuer.adas-books.co.uk', shopUrl: 'shop', senderEmail: 'nobody' });

    expect(attempt).toThrowError(/Invalid CDK context/);
    expect(attempt).toThrowError(/jwtIssuer: must be the https issuer URL.*got "http:\/\/issuer\.adas-books\.co\.uk".*-c jwtIssuer=https:/);
    expect(attempt).toThrowError(/shopUrl: must be the https address/);
    expect(attempt).toThrowError(/senderEmail: must be an email address/);
  });
});
