import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { STRIPE_EVENT_TYPES } from '../../core/connectors/stripe';
import { allowedActions, flat, logicalId, roleStatements, synthApp } from './build-app';

const SHOPIFY_BUS = 'aws.partner/shopify.com/123456/adas-books';
const STRIPE_BUS = 'aws.partner/stripe.com/ed_61RM8ltWcuYc1JNa416RM7JmSTSZQXU4';

const connected = synthApp({ context: { shopifyEventBus: SHOPIFY_BUS, stripeEventBus: STRIPE_BUS } });
const plain = synthApp();
const resourcesOf = (t: typeof plain, type: string) =>
  Object.entries(t.apiTemplate.findResources(type)) as [string, { Properties: Record<string, any>; DeletionPolicy?: string }][];

describe('storefront connectors in AWS', () => {
  it.each([
    ['ShopifyEvents', SHOPIFY_BUS, 'aws.partner/shopify.com'],
    ['StripeEvents', STRIPE_BUS, 'aws.partner/stripe.com'],
  ])('%s: a rule on the partner bus the settings name, by source prefix, to the connector queue with retries and a DLQ', (id, bus, prefix) => {
    // Act
    const [, rule] = resourcesOf(connected, 'AWS::Events::Rule').find(([, r]) => r.Properties.Name === `DigitalDownloadsApi-${id}`) ?? [];

    // Assess
    expect(rule).toBeDefined();
    expect(rule?.Properties.EventBusName).toBe(bus);
    expect(rule?.Properties.EventPattern.source).toEqual([{ prefix }]);
    const [target] = rule?.Properties.Targets ?? [];
    expect(flat(target.Arn)).toContain('StorefrontEvents');
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 });
    expect(flat(target.DeadLetterConfig.Arn)).toContain('StorefrontEventsDlq');
  });

  it('the Stripe rule takes only the event types the connector understands', () => {
    // Act
    const [, rule] = resourcesOf(connected, 'AWS::Events::Rule').find(([, r]) => r.Properties.Name === 'DigitalDownloadsApi-StripeEvents') ?? [];

    // Assess
    expect(rule?.Properties.EventPattern['detail-type']).toEqual([...STRIPE_EVENT_TYPES]);
  });

  it('archives the raw events of each partner bus for 30 days, so a shop can replay a day', () => {
    // Act
    const archives = resourcesOf(connected, 'AWS::Events::Archive').map(([, a]) => a.Properties);

    // Assess
    expect(archives).toHaveLength(2);
    for (const archive of archives) expect(archive.RetentionDays).toBe(30);
    expect(archives.map((a) => flat(a.SourceArn)).sort()).toEqual([
      expect.stringContaining(`event-bus/${SHOPIFY_BUS}`),
      expect.stringContaining(`event-bus/${STRIPE_BUS}`),
    ]);
  });

  it('the connector consumes its queue in batches that report failures, its dead letters kept 14 days and retained', () => {
    // Act
    const mappings = resourcesOf(connected, 'AWS::Lambda::EventSourceMapping').filter(([, m]) =>
      flat(m.Properties.EventSourceArn).includes('StorefrontEvents'),
    );
    const [, queue] = resourcesOf(connected, 'AWS::SQS::Queue').find(([, q]) => q.Properties.QueueName === 'DigitalDownloadsApi-storefront-events') ?? [];
    const [, dlq] = resourcesOf(connected, 'AWS::SQS::Queue').find(([, q]) => q.Properties.QueueName === 'DigitalDownloadsApi-storefront-events-dlq') ?? [];

    // Assess
    expect(mappings).toHaveLength(1);
    expect(mappings[0]?.[1].Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(queue?.Properties.RedrivePolicy.maxReceiveCount).toBe(5);
    expect(dlq?.Properties.MessageRetentionPeriod).toBe(14 * 86_400);
    expect(dlq?.DeletionPolicy).toBe('Retain');
  });

  it('the connector may read the Stripe key secret and the external ids, and park in its dead letters', () => {
    // Prepare
    const fn = connected.api.functions.get('storefront-events');

    // Act
    const statements = roleStatements(connected, logicalId(fn.role));
    const actions = allowedActions(statements);
    const env = connected.apiTemplate.toJSON().Resources[logicalId(fn.function)].Properties.Environment.Variables;

    // Assess
    expect(actions).toEqual(expect.arrayContaining(['secretsmanager:GetSecretValue', 'sqs:SendMessage']));
    expect(flat(statements.map((s) => s.Resource))).toContain('external-ids');
    expect(env.STRIPE_SECRET_KEY_ID).toBe('DigitalDownloadsApi/stripe-secret-key');
    expect(flat(env.DEAD_LETTER_QUEUE_URL)).toContain('StorefrontEventsDlq');
  });

  it('without partner buses in the settings: no rule, no archive, no connector function', () => {
    // Act
    const rules = resourcesOf(plain, 'AWS::Events::Rule').filter(([, r]) => /ShopifyEvents|StripeEvents/.test(r.Properties.Name ?? ''));

    // Assess
    expect(rules).toEqual([]);
    expect(resourcesOf(plain, 'AWS::Events::Archive')).toEqual([]);
    expect(() => plain.api.functions.get('storefront-events')).toThrow();
  });

  it("refuses a partner bus name that is not the provider's", () => {
    // Assess
    expect(() => synthApp({ context: { shopifyEventBus: 'default' } })).toThrow(/shopifyEventBus/);
    expect(() => synthApp({ context: { stripeEventBus: SHOPIFY_BUS } })).toThrow(/stripeEventBus/);
  });
});

describe('the WooCommerce webhook in AWS', () => {
  it('is a route without the JWT authorizer, with its own lower throttling', () => {
    // Act
    const [, route] = resourcesOf(plain, 'AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties.RouteKey === 'POST /webhooks/woocommerce') ?? [];
    const [, stage] = resourcesOf(plain, 'AWS::ApiGatewayV2::Stage')[0] ?? [];

    // Assess
    expect(route?.Properties.AuthorizationType).toBe('NONE');
    expect(route?.Properties.AuthorizerId).toBeUndefined();
    expect(stage?.Properties.RouteSettings['POST /webhooks/woocommerce']).toEqual({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 });
  });

  it('reads its generated, retained secret from Secrets Manager and parks unmappable orders in a queue of its own', () => {
    // Prepare
    const fn = plain.api.functions.get('woocommerce-webhook');

    // Act
    const env = plain.apiTemplate.toJSON().Resources[logicalId(fn.function)].Properties.Environment.Variables;
    const actions = allowedActions(roleStatements(plain, logicalId(fn.role)));

    // Assess
    plain.apiTemplate.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ Name: 'DigitalDownloadsApi/woocommerce-webhook-secret', GenerateSecretString: Match.objectLike({ PasswordLength: 40 }) }),
    });
    expect(env.WOOCOMMERCE_WEBHOOK_SECRET_ID).toBe('DigitalDownloadsApi/woocommerce-webhook-secret');
    expect(env.WOOCOMMERCE_WEBHOOK_SECRET).toBeUndefined();
    expect(flat(env.DEAD_LETTER_QUEUE_URL)).toContain('WooCommerceParked');
    expect(actions).toEqual(expect.arrayContaining(['secretsmanager:GetSecretValue', 'sqs:SendMessage']));
  });
});
