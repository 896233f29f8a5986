/**
 * Bundled in place of `@aws-sdk/credential-provider-node`: a Lambda function's
 * credentials always come from its environment, so the default chain's SSO,
 * STS, IMDS and ini providers are ~130 KB of dead weight on every cold start.
 */
export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';
