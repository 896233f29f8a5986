import { describe, it, expect } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { EVENT_RULES, STREAM_CONSUMERS } from '../../functions/manifest';
import { logicalId, synthApp } from './build-app';

const t = synthApp();

describe('event rules', () => {
  it.each(EVENT_RULES.map((r) => [r.id, r] as const))('%s routes its pattern on the default bus, with retries and a dead-letter queue', (_id, rule) => {
    t.apiTemplate.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.absent(),
      EventPattern: { source: rule.pattern.source, 'detail-type': rule.pattern['detail-type'] },
      Targets: [
        Match.objectLike({
          DeadLetterConfig: { Arn: Match.anyValue() },
          RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 },
        }),
      ],
    });
  });

  it('sends storefront.payments events to payment-events', () => {
    const fn = t.api.functions.get('payment-events');
    expect(fn).toBeDefined();
    t.apiTemplate.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['storefront.payments'] },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(fn!.function), 'Arn'] }, DeadLetterConfig: Match.anyValue() })],
    });
  });

  it('retries failed invocations twice, then parks them in the same queue the handler parks malformed events in', () => {
    for (const rule of EVENT_RULES) {
      const fn = t.api.functions.get(rule.function)!;
      const dlq = t.api.triggers.eventDeadLetterQueues.get(rule.function)!;
      t.apiTemplate.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalId(fn.function) },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(dlq), 'Arn'] } } },
      });
      t.apiTemplate.hasResourceProperties('AWS::Lambda::Function', {
        Description: `digital-downloads ${rule.function}`,
        Environment: { Variables: Match.objectLike({ DEAD_LETTER_QUEUE_URL: { Ref: logicalId(dlq) } }) },
      });
      t.apiTemplate.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: logicalId(fn.role) }],
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['sqs:SendMessage']), Resource: { 'Fn::GetAtt': [logicalId(dlq), 'Arn'] } })]),
        },
      });
    }
  });
});

describe('stream consumers', () => {
  it.each(STREAM_CONSUMERS.map((c) => [`${c.table} -> ${c.function}`, c] as const))(
    '%s reads from the start, in bisected batches, with a dead-letter queue',
    (_name, consumer) => {
      const fn = t.api.functions.get(consumer.function)!;
      t.apiTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: logicalId(fn.function) },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 100,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 5,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      });
    },
  );

  it('wires a consumer given in the catalog to its table stream', () => {
    // Prepare
    const custom = synthApp({ catalog: { streamConsumers: [{ table: 'invoices', function: 'invoice-outbox' }] } });

    // Act
    const mappings = custom.apiTemplate.findResources('AWS::Lambda::EventSourceMapping');

    // Assess
    expect(Object.keys(mappings)).toHaveLength(1);
    expect(JSON.stringify(Object.values(mappings)[0]?.Properties.EventSourceArn)).toContain('InvoicesTable');
  });
});

describe('dead-letter queues', () => {
  it('are encrypted, TLS-only and keep messages 14 days', () => {
    const queues = t.apiTemplate.findResources('AWS::SQS::Queue');
    expect(Object.keys(queues)).toHaveLength(t.api.triggers.eventDeadLetterQueues.size + t.api.triggers.streamDeadLetterQueues.size);
    for (const queue of Object.values(queues)) {
      expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
    }
    for (const id of Object.keys(queues)) {
      t.apiTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    }
  });

  it('each raise an alarm as soon as they hold a message', () => {
    for (const id of Object.keys(t.apiTemplate.findResources('AWS::SQS::Queue'))) {
      t.apiTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        TreatMissingData: 'notBreaching',
      });
    }
  });
});
