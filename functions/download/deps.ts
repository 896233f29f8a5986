import { StandardRetryStrategy } from '@smithy/util-retry';
import { LinkSigner } from '../../core/link-signer';
import { SecretsManagerKeySource } from '../../adapters/aws/signing-keys';
import { AwsJsonClient } from '../../adapters/aws/wire';
import { dynamoWireClient, WireLinkLog, WireLinkRedeemer } from '../../adapters/dynamo/wire-redeem';
import { config } from '../shared/config';

/**
 * The download function's adapters, with no AWS SDK client: its three calls
 * (the redeem's UpdateItem, a refusal's log write, the signing keys once per
 * cold start) go through the small JSON-protocol client of adapters/aws/wire.ts.
 * Every other function builds its adapters from functions/shared/deps.ts.
 */
const { AWS_REGION, DYNAMODB_ENDPOINT, SECRETS_MANAGER_ENDPOINT, LINKS_TABLE, LINK_LOG_TABLE, LINK_LOG_RETENTION_DAYS, SIGNING_KEY_SECRET_ID } = config();

/** The clients themselves, exported for the bench (it counts and records their requests). */
export const wire = {
  dynamo: dynamoWireClient({ region: AWS_REGION, endpoint: DYNAMODB_ENDPOINT }),
  // The SDK's Secrets Manager client: standard mode, its default attempts.
  secrets: new AwsJsonClient({
    service: 'secretsmanager',
    region: AWS_REGION,
    endpoint: SECRETS_MANAGER_ENDPOINT,
    targetPrefix: 'secretsmanager',
    jsonVersion: '1.1',
    retryStrategy: new StandardRetryStrategy(3),
  }),
};

export const links = new WireLinkRedeemer(wire.dynamo, LINKS_TABLE);
export const linkLog = new WireLinkLog(wire.dynamo, LINK_LOG_TABLE, LINK_LOG_RETENTION_DAYS);
export const linkSigner = new LinkSigner(
  new SecretsManagerKeySource(
    async (secretId) => (await wire.secrets.call<{ SecretString?: string }>('GetSecretValue', { SecretId: secretId })).SecretString,
    SIGNING_KEY_SECRET_ID,
  ),
);
