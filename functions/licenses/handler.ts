import { activateLicense, deactivateLicense, validateLicense } from '../../core/use-cases/activate-license';
import { licenseCertifier, licenseLimiters, licenseStore } from '../shared/deps';
import { byRoute, json, parseJsonBody, publicRoute } from '../shared/http';
// Traces the SDK clients this handler builds (X-Ray subsegments).
import '../shared/observability';
import { ActivateBody, DeactivateBody, ValidateBody } from '../schemas';

const deps = { licenses: licenseStore(), certifier: licenseCertifier(), ...licenseLimiters() };

/**
 * The activation API for the seller's software: no JWT, the license key is
 * the credential. Each call is one conditional write on the key (which also
 * feeds its log through the stream); `/.well-known/license-keys.json` is
 * what certificates verify against, offline.
 */
export const handler = byRoute('licenses', {
  'POST /licenses/activate': publicRoute({}, async ({ rawBody, headers, requester, now }) =>
    json(200, await activateLicense(deps, parseJsonBody(ActivateBody, rawBody, headers['content-type']), { now, requester })),
  ),
  'POST /licenses/validate': publicRoute({}, async ({ rawBody, headers, requester, now }) =>
    json(200, await validateLicense(deps, parseJsonBody(ValidateBody, rawBody, headers['content-type']), { now, requester })),
  ),
  'POST /licenses/deactivate': publicRoute({}, async ({ rawBody, headers, requester, now }) =>
    json(200, await deactivateLicense(deps, parseJsonBody(DeactivateBody, rawBody, headers['content-type']), { now, requester })),
  ),
  // Public keys only; clients may cache them a few minutes (a rotation publishes the new key before it signs).
  'GET /.well-known/license-keys.json': publicRoute({}, async () => json(200, await deps.certifier.jwks(), { 'cache-control': 'public, max-age=300' })),
});
