import { describe, it, expect } from 'vitest';
import { EVENT_RULES, type FunctionName, queuePolicyOf, STREAM_CONSUMERS } from '../../functions/manifest';
import { DEAD_LETTER_AGE_ALARM, STREAM_FAILURE_AGE_ALARM } from '../../lib/queues';
import { flat, synthApp } from './build-app';

const t = synthApp();
const apiResources = t.apiTemplate.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any>; DeletionPolicy?: string }>;
const dataResources = t.dataTemplate.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any>; DeletionPolicy?: string }>;
const ofType = (resources: typeof apiResources, type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

const eventFunctions = [...new Set(EVENT_RULES.map((r) => r.function))];
const functionNamed = (name: FunctionName) => {
  const found = ofType(apiResources, 'AWS::Lambda::Function').find(([, f]) => f.Properties.Description === `digital-downloads ${name}`);
  if (!found) throw new Error(`no function ${name}`);
  return { id: found[0], ...found[1] };
};
/** A data stack queue by its physical name, and its logical id. */
const queueNamed = (name: string) => {
  const found = ofType(dataResources, 'AWS::SQS::Queue').find(([, q]) => q.Properties.QueueName === name);
  if (!found) throw new Error(`no queue ${name}`);
  return { id: found[0], ...found[1] };
};
const queueArn = (name: string) => `arn:<AWS::Partition>:sqs:<AWS::Region>:<AWS::AccountId>:${name}`;
const queueUrl = (name: string) => `https://sqs.<AWS::Region>.<AWS::URLSuffix>/<AWS::AccountId>/${name}`;
const dataStack = 'DigitalDownloadsData';
const workQueue = (fn: string) => `${dataStack}-${fn}`;
const deadLetters = (fn: string) => `${dataStack}-${fn}-dlq`;
const parked = (fn: string) => `${dataStack}-${fn}-parked`;
const streamFailures = (fn: string) => `${dataStack}-${fn}-stream-failures`;
const policyOf = (queueId: string) =>
  ofType(dataResources, 'AWS::SQS::QueuePolicy')
    .filter(([, p]) => JSON.stringify(p.Properties.Queues) === JSON.stringify([{ Ref: queueId }]))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Record<string, any>[]);

describe('event rules', () => {
  it.each(EVENT_RULES.map((r) => [r.id, r] as const))(
    "%s sends its pattern on the default bus to its function's queue, and what it cannot deliver to its dead letters",
    (_id, rule) => {
      const [, resource] = ofType(apiResources, 'AWS::Events::Rule').find(([, r]) => r.Properties.Name === `DigitalDownloadsApi-${rule.id}`) ?? [];
      expect(resource).toBeDefined();
      expect(resource?.Properties).toMatchObject({ EventPattern: { source: rule.pattern.source, 'detail-type': rule.pattern['detail-type'] } });
      expect(resource?.Properties.EventBusName).toBeUndefined();
      const [target] = resource?.Properties.Targets ?? [];
      expect(flat(target.Arn)).toBe(queueArn(workQueue(rule.function)));
      expect(flat(target.DeadLetterConfig.Arn)).toBe(queueArn(deadLetters(rule.function)));
      expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 });
    },
  );

  it("lets only a function's own rules send to its queue and its dead letters", () => {
    for (const fn of eventFunctions) {
      const ruleArns = EVENT_RULES.filter((r) => r.function === fn).map(
        (r) => `arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:rule/DigitalDownloadsApi-${r.id}`,
      );
      for (const queue of [workQueue(fn), deadLetters(fn)]) {
        const allows = policyOf(queueNamed(queue).id).filter((s) => s.Effect === 'Allow');
        expect(allows, queue).toHaveLength(1);
        expect(allows[0]).toMatchObject({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage' });
        expect(([allows[0]?.Condition.ArnEquals['aws:SourceArn']].flat() as unknown[]).map(flat).sort()).toEqual(ruleArns.sort());
      }
    }
  });
});

describe('event consumers', () => {
  it.each(eventFunctions)('%s consumes its queue in batches, reporting failures per message, capped by maximum concurrency', (fn) => {
    const policy = queuePolicyOf(fn);
    const mapping = ofType(apiResources, 'AWS::Lambda::EventSourceMapping').find(([, m]) => flat(m.Properties.EventSourceArn) === queueArn(workQueue(fn)));
    expect(mapping?.[1].Properties).toMatchObject({
      FunctionName: { Ref: functionNamed(fn).id },
      BatchSize: policy.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: policy.maxConcurrency },
    });
  });

  it.each(eventFunctions)('%s parks what can never succeed in its dead-letter queue, which it may send to', (fn) => {
    const f = functionNamed(fn);
    expect(flat(f.Properties.Environment.Variables.DEAD_LETTER_QUEUE_URL)).toBe(queueUrl(deadLetters(fn)));
    const statements = ofType(apiResources, 'AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: f.Properties.Role['Fn::GetAtt'][0] }]))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Record<string, any>[]);
    const sends = statements.filter((s) => [s.Action].flat().includes('sqs:SendMessage')).flatMap((s) => [s.Resource].flat().map(flat));
    expect(sends).toEqual([queueArn(deadLetters(fn))]);
  });

  it('reserves no concurrency by default, and reserves it for payment-events when asked', () => {
    for (const [, fn] of ofType(apiResources, 'AWS::Lambda::Function'))
      expect(fn.Properties.ReservedConcurrentExecutions, fn.Properties.Description).toBeUndefined();
    const reserved = synthApp({ context: { paymentEventsConcurrency: '10' } });
    reserved.apiTemplate.hasResourceProperties('AWS::Lambda::Function', { Description: 'digital-downloads payment-events', ReservedConcurrentExecutions: 10 });
  });
});

describe('work queues (data stack)', () => {
  it.each(eventFunctions)("%s's queue hides a message six times the function's timeout, and moves it to the dead letters after maxReceiveCount", (fn) => {
    const queue = queueNamed(workQueue(fn));
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * functionNamed(fn).Properties.Timeout);
    expect(queue.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [queueNamed(deadLetters(fn)).id, 'Arn'] },
      maxReceiveCount: queuePolicyOf(fn).maxReceiveCount,
    });
  });

  it('keep messages for less time than the dead letters, which keep their first enqueue time when moved', () => {
    for (const fn of eventFunctions) {
      expect(queueNamed(workQueue(fn)).Properties.MessageRetentionPeriod).toBeLessThan(
        queueNamed(deadLetters(fn)).Properties.MessageRetentionPeriod - DEAD_LETTER_AGE_ALARM.toSeconds(),
      );
    }
  });
});

describe('stream consumers', () => {
  it.each(STREAM_CONSUMERS.map((c) => [`${c.table} -> ${c.function}`, c] as const))(
    '%s starts at the oldest record (a re-created stack replays, exactly-once effects make it harmless), in bisected batches with bounded retries',
    (_name, consumer) => {
      const table = {
        links: 'LinksTable',
        invoices: 'InvoicesTable',
        licenses: 'LicensesTable',
        productUpdates: 'ProductUpdatesTable',
        linkLog: 'LinkLogTable',
      }[consumer.table];
      // A consumer of two streams (dashboard-aggregates) has a mapping for each.
      const mapping = ofType(apiResources, 'AWS::Lambda::EventSourceMapping').find(
        ([, m]) => m.Properties.FunctionName.Ref === functionNamed(consumer.function).id && JSON.stringify(m.Properties.EventSourceArn).includes(table),
      );
      expect(mapping?.[1].Properties).toMatchObject({
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 100,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      const { MaximumRetryAttempts, MaximumRecordAgeInSeconds } = mapping?.[1].Properties ?? {};
      expect(MaximumRetryAttempts).toBeGreaterThan(0);
      expect(MaximumRetryAttempts).toBeLessThanOrEqual(10_000);
      // Given up well within the stream's 24 hours, so the record can still be re-read by its sequence number.
      expect(MaximumRecordAgeInSeconds).toBeLessThanOrEqual(12 * 3600);
      expect(JSON.stringify(mapping?.[1].Properties.EventSourceArn)).toContain(`${consumer.table[0]?.toUpperCase()}${consumer.table.slice(1)}Table`);
    },
  );

  it.each(STREAM_CONSUMERS.map((c) => c.function))('%s parks changes in one queue and has its mapping failures in another (one format per queue)', (fn) => {
    const mapping = ofType(apiResources, 'AWS::Lambda::EventSourceMapping').find(([, m]) => m.Properties.FunctionName.Ref === functionNamed(fn).id);
    expect(flat(mapping?.[1].Properties.DestinationConfig.OnFailure.Destination)).toBe(queueArn(streamFailures(fn)));
    expect(flat(functionNamed(fn).Properties.Environment.Variables.DEAD_LETTER_QUEUE_URL)).toBe(queueUrl(parked(fn)));
  });

  it('wires a consumer given in the manifest to its table stream', () => {
    const custom = synthApp({ manifest: { streamConsumers: [{ table: 'invoices', function: 'invoice-outbox' }] } });
    const mappings = Object.values(custom.apiTemplate.findResources('AWS::Lambda::EventSourceMapping')).filter((m) => m.Properties.StartingPosition);
    expect(mappings).toHaveLength(1);
    expect(JSON.stringify(mappings[0]?.Properties.EventSourceArn)).toContain('InvoicesTable');
  });
});

describe('dead-letter queues (data stack)', () => {
  const all = ofType(dataResources, 'AWS::SQS::Queue');
  const deadLetterNames = [
    ...eventFunctions.map(deadLetters),
    ...[...new Set(STREAM_CONSUMERS.map((c) => c.function))].flatMap((fn) => [parked(fn), streamFailures(fn)]),
  ];

  it('are every queue but the work queues, one per function and kind', () => {
    expect(all.map(([, q]) => q.Properties.QueueName).sort()).toEqual([...eventFunctions.map(workQueue), ...deadLetterNames].sort());
  });

  it('are encrypted, TLS-only, keep messages 14 days and outlive the stack', () => {
    for (const name of deadLetterNames) {
      const queue = queueNamed(name);
      expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
      expect(queue.DeletionPolicy, name).toBe('Retain');
      expect(policyOf(queue.id)).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    }
  });

  it('each raise an alarm at the first message, and again before it can expire', () => {
    const alarms = ofType(dataResources, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    for (const name of deadLetterNames) {
      const on = (metric: string) => alarms.filter((a) => a.MetricName === metric && a.Dimensions[0].Value['Fn::GetAtt'][0] === queueNamed(name).id);
      expect(on('ApproximateNumberOfMessagesVisible'), name).toEqual([expect.objectContaining({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' })]);
      const [age] = on('ApproximateAgeOfOldestMessage');
      const limit = name.endsWith('-stream-failures') ? STREAM_FAILURE_AGE_ALARM : DEAD_LETTER_AGE_ALARM;
      expect(age?.Threshold, name).toBe(limit.toSeconds());
      expect(age?.Threshold).toBeLessThan(14 * 86_400 - 4 * 86_400);
    }
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: Object.keys(t.dataTemplate.findResources('AWS::SNS::Topic'))[0] }]);
  });

  it('name their runbook', () => {
    for (const [, alarm] of ofType(dataResources, 'AWS::CloudWatch::Alarm'))
      expect(alarm.Properties.AlarmDescription).toMatch(/Runbook: docs\/operations\.md#[a-z-]+$/);
  });
});
