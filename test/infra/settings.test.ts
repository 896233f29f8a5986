import { describe, it, expect } from 'vitest';
import { App } from 'aws-cdk-lib';
import { readSettings } from '../../lib/settings';
import { CDK_JSON_CONTEXT } from './build-app';

const settingsWith = (context: Record<string, unknown>) => readSettings(new App({ context: { ...CDK_JSON_CONTEXT, ...context } }).node);

describe('deployment settings', () => {
  it('reads the defaults of cdk.json', () => {
    expect(settingsWith({})).toEqual({
      jwtIssuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE',
      jwtAudience: ['digital-downloads'],
      publicBaseUrl: 'https://shop.example.com',
      senderEmail: 'downloads@shop.example.com',
      presignedUrlTtlSeconds: 120,
      apiRateLimit: 200,
      apiBurstLimit: 400,
      downloadRateLimit: 100,
      downloadBurstLimit: 200,
      downloadRateLimitPerCustomer: 120,
      downloadBurstLimitPerCustomer: 60,
      paymentEventsConcurrency: 10,
      webClientId: 'digital-downloads-console',
      customerClientId: 'digital-downloads-console',
      webOrigins: [],
    });
  });

  it('reads the web UI origins, and refuses anything but https origins', () => {
    expect(settingsWith({ webOrigins: 'https://d1.cloudfront.net,https://downloads.shop.example.com' }).webOrigins).toEqual([
      'https://d1.cloudfront.net',
      'https://downloads.shop.example.com',
    ]);
    expect(() => settingsWith({ webOrigins: 'http://d1.cloudfront.net' })).toThrowError(/webOrigins/);
    expect(() => settingsWith({ webOrigins: 'https://d1.cloudfront.net/console' })).toThrowError(/webOrigins/);
  });

  it('reads numbers given with -c, which arrive as strings', () => {
    // Act
    const settings = settingsWith({
      presignedUrlTtlSeconds: '300',
      apiRateLimit: '50',
      apiBurstLimit: '80',
      downloadRateLimit: '20',
      downloadBurstLimit: '40',
      downloadRateLimitPerCustomer: '0',
      downloadBurstLimitPerCustomer: '5',
      paymentEventsConcurrency: '25',
      alarmEmail: ' ops@shop.example.com ',
    });

    // Assess
    expect(settings).toMatchObject({
      presignedUrlTtlSeconds: 300,
      apiRateLimit: 50,
      apiBurstLimit: 80,
      downloadRateLimit: 20,
      downloadBurstLimit: 40,
      downloadRateLimitPerCustomer: 0,
      downloadBurstLimitPerCustomer: 5,
      paymentEventsConcurrency: 25,
      alarmEmail: 'ops@shop.example.com',
    });
  });

  it('reserves no concurrency for payment events when the value is 0, empty or absent', () => {
    expect(settingsWith({ paymentEventsConcurrency: 0 }).paymentEventsConcurrency).toBe(0);
    expect(settingsWith({ paymentEventsConcurrency: '' }).paymentEventsConcurrency).toBe(0);
    expect(settingsWith({ paymentEventsConcurrency: undefined }).paymentEventsConcurrency).toBe(0);
  });

  it('subscribes no one to the alarms unless an email is given', () => {
    expect(settingsWith({}).alarmEmail).toBeUndefined();
    expect(settingsWith({ alarmEmail: '' }).alarmEmail).toBeUndefined();
    expect(() => settingsWith({ alarmEmail: 'ops' })).toThrowError(/alarmEmail: must be an email address/);
  });

  it("gives the web UI's customer page the console's OIDC client unless it has its own", () => {
    expect(settingsWith({ webClientId: 'console-app' })).toMatchObject({ webClientId: 'console-app', customerClientId: 'console-app' });
    expect(settingsWith({ webClientId: 'console-app', customerClientId: ' shop-app ' })).toMatchObject({ customerClientId: 'shop-app' });
    expect(settingsWith({ customerClientId: '' }).customerClientId).toBe('digital-downloads-console');
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
    const attempt = () => settingsWith({ apiRateLimit: 0, apiBurstLimit: 'lots', downloadBurstLimitPerCustomer: 0, paymentEventsConcurrency: -1 });

    expect(attempt).toThrowError(/apiRateLimit: must be a whole number from 1 to 10000; got 0/);
    expect(attempt).toThrowError(/apiBurstLimit: must be a whole number from 1 to 5000; got "lots"/);
    expect(attempt).toThrowError(/downloadBurstLimitPerCustomer: must be a whole number from 1/);
    expect(attempt).toThrowError(/paymentEventsConcurrency: must be a whole number from 0 \(no reservation\)/);
  });

  it('accepts a comma-separated audience from -c, and a JSON array', () => {
    expect(settingsWith({ jwtAudience: 'web, console' }).jwtAudience).toEqual(['web', 'console']);
    expect(settingsWith({ jwtAudience: '["web"]' }).jwtAudience).toEqual(['web']);
  });

  it('drops a trailing slash from the public base URL', () => {
    expect(settingsWith({ publicBaseUrl: 'https://shop.example.com/store/' }).publicBaseUrl).toBe('https://shop.example.com/store');
  });

  it('names every bad value at once, with an example', () => {
    const attempt = () => settingsWith({ jwtIssuer: 'http://issuer.example.com', jwtAudience: '', publicBaseUrl: 'shop', senderEmail: 'nobody' });

    expect(attempt).toThrowError(/Invalid CDK context/);
    expect(attempt).toThrowError(/jwtIssuer: must be the https issuer URL.*got "http:\/\/issuer\.example\.com".*-c jwtIssuer=https:/);
    expect(attempt).toThrowError(/jwtAudience: must name at least one audience/);
    expect(attempt).toThrowError(/publicBaseUrl: must be the https address/);
    expect(attempt).toThrowError(/senderEmail: must be an email address/);
  });

  it('says so when a value is missing', () => {
    const app = new App({ context: { ...CDK_JSON_CONTEXT, jwtIssuer: undefined } });
    expect(() => readSettings(app.node)).toThrowError(/jwtIssuer: .*got nothing/);
  });
});
