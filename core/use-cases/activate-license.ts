import { DomainError, forbidden, notFound } from '../errors';
import { activationIdOf, activationsLeftOf, isLicenseKeyShape, type License } from '../license';
import type { LicenseCertifier } from '../license-certificate';
import type { LicenseStore, Requester } from '../ports';
import type { RateLimiter } from '../rate-limiter';

/** What the seller's software calls with: the key is the credential. */
export interface LicenseApiDeps {
  licenses: LicenseStore;
  certifier: LicenseCertifier;
  /** Per key: one key hammered from many places. */
  keyLimiter: RateLimiter;
  /** Per client address: one place trying many keys. */
  clientLimiter: RateLimiter;
}

export interface LicenseCall {
  now: string;
  requester: Requester;
}

const NOT_FOUND = () => notFound('LICENSE_NOT_FOUND', 'No such license key.');

/**
 * The rate limits, then the key's shape: a string that cannot be a key is
 * refused before any lookup, with the same answer as an unknown key, so a
 * wrong key tells nothing about which keys exist.
 */
const admit = (deps: LicenseApiDeps, key: string, call: LicenseCall): void => {
  deps.clientLimiter.take(`client:${call.requester.ip ?? 'unknown'}`);
  if (!isLicenseKeyShape(key)) throw NOT_FOUND();
  deps.keyLimiter.take(`key:${key}`);
};

/** Why a key that exists refuses (suspended, revoked), or the same 404 as an unknown key for one not sold. */
const refusalOf = (license: License | undefined): DomainError => {
  if (!license || license.status === 'available') return NOT_FOUND();
  if (license.status === 'revoked') return forbidden('LICENSE_REVOKED', 'This license key was revoked.');
  if (license.status === 'suspended') return forbidden('LICENSE_SUSPENDED', 'This license key is suspended while its order is on hold.');
  return new DomainError('conflict', 'ACTIVATION_LIMIT_REACHED', 'This license key is active on as many instances as it allows; deactivate one first.');
};

/**
 * Takes a seat for the instance, decided by one conditional write: concurrent
 * activations never exceed the key's limit, and the same instance activating
 * again is the same activation (same id, no second seat).
 */
export const activateLicense = async (deps: LicenseApiDeps, input: { key: string; instanceId: string }, call: LicenseCall) => {
  admit(deps, input.key, call);
  const activationId = activationIdOf(input.key, input.instanceId);
  const result = await deps.licenses.activate(input.key, input.instanceId, activationId, { now: call.now, requester: call.requester });
  if (result.outcome === 'refused') throw refusalOf(result.license);
  return { activationId, activationsLeft: activationsLeftOf(result.license) };
};

/** Frees the instance's seat (one that holds none is fine: the answer is the same). */
export const deactivateLicense = async (deps: LicenseApiDeps, input: { key: string; instanceId: string }, call: LicenseCall) => {
  admit(deps, input.key, call);
  const license = await deps.licenses.deactivate(input.key, input.instanceId, { now: call.now, requester: call.requester });
  if (!license) throw NOT_FOUND();
  return { activationsLeft: activationsLeftOf(license) };
};

/**
 * The key's state now, with a certificate of it that the software can check
 * offline until it expires. One write: it reads the key and records the
 * check for the key's log. A key that is suspended, revoked or not active on
 * this instance is `valid: false` (the certificate says so too).
 */
export const validateLicense = async (deps: LicenseApiDeps, input: { key: string; instanceId?: string | undefined }, call: LicenseCall) => {
  admit(deps, input.key, call);
  const instanceId = input.instanceId ?? null;
  const license = await deps.licenses.recordValidation(input.key, instanceId, { now: call.now, requester: call.requester });
  // The store answers nothing for an unsold key; the status check narrows the type for the certificate.
  if (!license || license.status === 'available') throw NOT_FOUND();
  const status = license.status;
  const activated = instanceId === null || Object.hasOwn(license.activations, instanceId);
  const valid = status === 'active' && activated;
  const { certificate, expiresAt } = await deps.certifier.certify({ key: license.key, productId: license.productId, instanceId, status, valid });
  return { valid, status, productId: license.productId, activationsLeft: activationsLeftOf(license), certificate, certificateExpiresUtc: expiresAt };
};
