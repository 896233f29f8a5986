import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { PAYMENT_SOURCE } from '../core/events';

export interface StorefrontAccessProps {
  /** The storefronts' AWS accounts. */
  readonly accountIds: readonly string[];
}

/**
 * Lets a storefront that runs in other AWS accounts put its payment events on
 * this account's default bus, and nothing else: only `PutEvents`, only with
 * source `storefront.payments` (the payment rule's pattern). Such an account
 * cannot pose as this system (`digital-downloads`) or as SES.
 */
export class StorefrontAccess extends Construct {
  readonly policy: events.CfnEventBusPolicy;

  constructor(scope: Construct, id: string, props: StorefrontAccessProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.policy = new events.CfnEventBusPolicy(this, 'Policy', {
      eventBusName: 'default',
      // Bus policy statements are per bus and Region: the stack name keeps two deployments' statements apart.
      statementId: `${stack.stackName}-storefronts`.slice(0, 64),
      statement: {
        Sid: `${stack.stackName}-storefronts`.slice(0, 64),
        Effect: 'Allow',
        Principal: { AWS: props.accountIds.map((account) => `arn:${stack.partition}:iam::${account}:root`) },
        Action: 'events:PutEvents',
        Resource: stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' }),
        Condition: { StringEquals: { 'events:source': [PAYMENT_SOURCE] } },
      },
    });
  }
}
