import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * A Lambda function's credentials, from its environment (what
 * `@aws-sdk/credential-provider-env`'s fromEnv reads, without the SDK's core
 * it drags into the download bundle), read once: they are fixed for the
 * sandbox's life. Missing ones fail the call that needs them, not the import.
 */
export const lambdaEnvCredentials = (): AwsCredentialIdentityProvider => {
  let cached: AwsCredentialIdentity | undefined;
  return async () => {
    if (cached) return cached;
    const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = process.env;
    if (!accessKeyId || !secretAccessKey) {
      throw Object.assign(new Error('Unable to find environment variable credentials.'), { name: 'CredentialsProviderError' });
    }
    const expiry = process.env.AWS_CREDENTIAL_EXPIRATION;
    cached = { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}), ...(expiry ? { expiration: new Date(expiry) } : {}) };
    return cached;
  };
};
