import { describe, expect, it } from 'vitest';
import { type HttpEvent, requesterOf } from '../../functions/shared/http';

const event = (headers: Record<string, string>, sourceIp = '130.176.0.1') => ({ headers, requestContext: { http: { sourceIp } } }) as unknown as HttpEvent;

describe('requesterOf', () => {
  it("takes the viewer's address the distribution forwards when the request carries the edge token", () => {
    expect(
      requesterOf(event({ 'x-dd-edge': 'edge-token-of-the-stack', 'x-dd-viewer-address': '203.0.113.7', 'user-agent': 'ua' }), 'edge-token-of-the-stack'),
    ).toEqual({
      ip: '203.0.113.7',
      userAgent: 'ua',
    });
  });

  it('keeps API Gateway’s source address when the token is missing, wrong, or not configured (a client cannot choose its address)', () => {
    expect(requesterOf(event({ 'x-dd-viewer-address': '10.0.0.1' }), 'edge-token-of-the-stack').ip).toBe('130.176.0.1');
    expect(requesterOf(event({ 'x-dd-edge': 'guess', 'x-dd-viewer-address': '10.0.0.1' }), 'edge-token-of-the-stack').ip).toBe('130.176.0.1');
    expect(requesterOf(event({ 'x-dd-edge': '', 'x-dd-viewer-address': '10.0.0.1' }), '').ip).toBe('130.176.0.1');
    expect(requesterOf(event({ 'x-dd-edge': 'x', 'x-dd-viewer-address': '10.0.0.1' }), undefined).ip).toBe('130.176.0.1');
    expect(requesterOf(event({ 'x-dd-viewer-address': '10.0.0.1' }), undefined).ip).toBe('130.176.0.1');
  });

  it('records no address when API Gateway gives none', () => {
    expect(requesterOf({ headers: {} } as unknown as HttpEvent, undefined).ip).toBeNull();
    expect(requesterOf({ headers: {}, requestContext: {} } as unknown as HttpEvent, undefined).ip).toBeNull();
  });

  it('cuts a long user agent and records none for an empty one', () => {
    expect(requesterOf(event({ 'user-agent': 'x'.repeat(600) }), undefined).userAgent).toHaveLength(512);
    expect(requesterOf(event({ 'user-agent': '' }), undefined).userAgent).toBeNull();
    expect(requesterOf(event({}), undefined).userAgent).toBeNull();
  });
});
