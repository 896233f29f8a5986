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
    });
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
