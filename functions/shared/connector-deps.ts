import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CachedSecretText } from '../../adapters/aws/secret-text';
import { StripeCheckoutLineItems } from '../../adapters/stripe/checkout-line-items';
import { SHOPIFY_DEFAULTS } from '../../core/connectors/shopify';
import { STRIPE_DEFAULTS } from '../../core/connectors/stripe';
import { WOOCOMMERCE_DEFAULTS } from '../../core/connectors/woocommerce';
import { config } from './config';
import { instrumented, once } from './deps';

/**
 * What only the storefront connectors need (kept out of functions/shared/deps.ts, which the download's hot path
 * imports: the Stripe SDK never reaches its bundle).
 */
const secretsManager = /* @__PURE__ */ once(() =>
  instrumented(new SecretsManagerClient({ region: config().AWS_REGION, endpoint: config().SECRETS_MANAGER_ENDPOINT })),
);

/** A connector's secret: the value in the environment (locally), else the Secrets Manager secret it names (AWS). */
const connectorSecret = (value: string | undefined, secretId: string | undefined, what: string): (() => Promise<string>) => {
  if (value) return async () => value;
  if (!secretId) return async () => Promise.reject(new Error(`${what} is not configured`));
  const secret = new CachedSecretText(secretsManager(), secretId);
  return () => secret.value();
};

export const wooWebhookSecret = /* @__PURE__ */ once(() =>
  connectorSecret(config().WOOCOMMERCE_WEBHOOK_SECRET, config().WOOCOMMERCE_WEBHOOK_SECRET_ID, 'the WooCommerce webhook secret'),
);

export const checkoutLineItems = /* @__PURE__ */ once(
  () =>
    new StripeCheckoutLineItems({
      apiKey: connectorSecret(config().STRIPE_SECRET_KEY, config().STRIPE_SECRET_KEY_ID, 'the Stripe secret key'),
      apiBase: config().STRIPE_API_BASE,
    }),
);

/** How each connector derives customer ids (the contract's defaults unless configured). */
export const connectorOptions = /* @__PURE__ */ once(() => ({
  shopify: { customerIdTemplate: config().SHOPIFY_CUSTOMER_ID ?? SHOPIFY_DEFAULTS.customerIdTemplate },
  stripe: { customerIdTemplate: config().STRIPE_CUSTOMER_ID ?? STRIPE_DEFAULTS.customerIdTemplate },
  woocommerce: { customerIdTemplate: config().WOOCOMMERCE_CUSTOMER_ID ?? WOOCOMMERCE_DEFAULTS.customerIdTemplate },
}));
