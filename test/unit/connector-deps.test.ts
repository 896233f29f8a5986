import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEPLOYED_ENV as REQUIRED } from '../support/function-env';

const secrets = mockClient(SecretsManagerClient);

// deps.ts loads every AWS client of the system (a second here); of it the connectors use only these two helpers.
vi.mock('../../functions/shared/deps', () => ({
  once: <T>(make: () => T) => {
    let value: T | undefined;
    return () => (value ??= make());
  },
  instrumented: <C>(client: C) => client,
}));

const original = process.env;
const { POWERTOOLS_LOG_LEVEL, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED } = original;

/** The connectors' dependencies as a cold start with this environment builds them. */
const coldStart = async (env: Record<string, string> = {}) => {
  process.env = { POWERTOOLS_LOG_LEVEL, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED, ...REQUIRED, ...env };
  vi.resetModules();
  return import('../../functions/shared/connector-deps');
};

beforeEach(() => {
  secrets.reset();
});
afterEach(() => {
  process.env = original;
});

describe('the storefront connectors’ dependencies', () => {
  it('derive customer ids by the contracts’ defaults', async () => {
    const { connectorOptions } = await coldStart();
    expect(connectorOptions()).toEqual({
      shopify: { customerIdTemplate: 'shopify:{id}' },
      stripe: { customerIdTemplate: '{client_reference_id}' },
      woocommerce: { customerIdTemplate: 'woo:{id}' },
    });
  });

  it('derive customer ids by the templates configured', async () => {
    const { connectorOptions } = await coldStart({
      SHOPIFY_CUSTOMER_ID: '{email}',
      STRIPE_CUSTOMER_ID: 'stripe:{customer}',
      WOOCOMMERCE_CUSTOMER_ID: 'wc:{email}',
    });
    expect(connectorOptions()).toEqual({
      shopify: { customerIdTemplate: '{email}' },
      stripe: { customerIdTemplate: 'stripe:{customer}' },
      woocommerce: { customerIdTemplate: 'wc:{email}' },
    });
  });

  it('take the WooCommerce webhook secret from the environment when it is there (locally), asking Secrets Manager nothing', async () => {
    // Prepare
    const { wooWebhookSecret } = await coldStart({ WOOCOMMERCE_WEBHOOK_SECRET: 'local-secret', WOOCOMMERCE_WEBHOOK_SECRET_ID: 'woo-secret' });

    // Act
    const value = await wooWebhookSecret()();

    // Assess
    expect(value).toBe('local-secret');
    expect(secrets.calls()).toHaveLength(0);
  });

  it('read the WooCommerce webhook secret from the Secrets Manager secret it names (AWS), in the function’s region', async () => {
    // Prepare
    secrets.on(GetSecretValueCommand, { SecretId: 'woo-secret' }).resolves({ SecretString: 'from-secrets-manager\n' });
    const { wooWebhookSecret } = await coldStart({ WOOCOMMERCE_WEBHOOK_SECRET_ID: 'woo-secret', AWS_REGION: 'eu-west-1' });

    // Act
    const value = await wooWebhookSecret()();

    // Assess
    expect(value).toBe('from-secrets-manager');
    const client = secrets.call(0).thisValue as SecretsManagerClient;
    expect(await client.config.region()).toBe('eu-west-1');
  });

  it('talk to the Secrets Manager endpoint configured (the local runtime’s)', async () => {
    // Prepare
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'x' });
    const { wooWebhookSecret } = await coldStart({ WOOCOMMERCE_WEBHOOK_SECRET_ID: 'woo-secret', SECRETS_MANAGER_ENDPOINT: 'http://127.0.0.1:4566' });

    // Act
    await wooWebhookSecret()();

    // Assess
    const client = secrets.call(0).thisValue as SecretsManagerClient;
    expect(await client.config.endpoint?.()).toMatchObject({ hostname: '127.0.0.1', port: 4566 });
  });

  it('refuse a webhook with an explanation when its secret is not configured at all', async () => {
    const { wooWebhookSecret } = await coldStart();
    await expect(wooWebhookSecret()()).rejects.toThrow(/^the WooCommerce webhook secret is not configured$/);
  });

  it('refuse to read Stripe line items with an explanation when the Stripe key is not configured', async () => {
    const { checkoutLineItems } = await coldStart();
    await expect(checkoutLineItems().linesOf('cs_test_1')).rejects.toThrow(/^the Stripe secret key is not configured$/);
    expect(secrets.calls()).toHaveLength(0);
  });

  it('ask Secrets Manager for the Stripe key it names when Stripe line items are first needed', async () => {
    // Prepare
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '' });
    const { checkoutLineItems } = await coldStart({ STRIPE_SECRET_KEY_ID: 'stripe-key' });

    // Act
    const lines = checkoutLineItems().linesOf('cs_test_1');

    // Assess: an empty secret is refused before any call to Stripe
    await expect(lines).rejects.toThrow('the secret stripe-key has no value');
    expect(secrets.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([{ SecretId: 'stripe-key' }]);
  });
});
