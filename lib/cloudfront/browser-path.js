// CloudFront Function (cloudfront-js-2.0), viewer request of /downloads/*: the
// browser path of a download link. A browser that opens /downloads/<token>
// without a bearer token (a link in an email, a bookmark) would get a raw 401
// from the API; it is sent to the customer page instead, with the token in the
// URL fragment (which never reaches a server), to sign in and start the same
// download. Everything else goes on to the API unchanged. The cases are
// test/support/browser-path-cases.ts, which the local runtime's rule follows too.

var EDGE_TOKEN = '__EDGE_TOKEN__';

function value(headers, name) {
  const header = headers[name];
  return header ? header.value : undefined;
}

// `sec-fetch-mode: navigate` (every current browser), or an Accept that asks for a page (older ones).
function isBrowser(headers) {
  return (
    (value(headers, 'sec-fetch-mode') || '').trim().toLowerCase() === 'navigate' || (value(headers, 'accept') || '').toLowerCase().indexOf('text/html') !== -1
  );
}

// biome-ignore lint/correctness/noUnusedVariables: CloudFront calls it.
function handler(event) {
  const request = event.request;
  // Behind CloudFront, API Gateway sees CloudFront's address: the viewer's rides in a header only this function
  // sets (overwriting whatever a client sent), with the edge token that tells the API it came through here.
  request.headers['x-dd-viewer-address'] = { value: event.viewer.ip };
  request.headers['x-dd-edge'] = { value: EDGE_TOKEN };
  if (request.method !== 'GET' && request.method !== 'HEAD') return request;
  // An empty Authorization header counts as none.
  if ((value(request.headers, 'authorization') || '').trim() !== '') return request;
  const match = /^\/downloads\/([^/]+)$/.exec(request.uri);
  if (!match || match[1] === 'customer' || !isBrowser(request.headers)) return request;
  let token;
  try {
    token = decodeURIComponent(match[1]);
  } catch (_error) {
    return request; // not a token the API could verify either: its answer stands
  }
  return {
    statusCode: 302,
    statusDescription: 'Found',
    headers: {
      location: { value: `/account/downloads#download=${encodeURIComponent(token)}` },
      'cache-control': { value: 'no-store' },
      'referrer-policy': { value: 'no-referrer' },
    },
  };
}
