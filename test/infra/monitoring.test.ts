import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { EVENT_RULES, HTTP_ROUTES, SCHEDULES, STREAM_CONSUMERS, type FunctionName } from '../../functions/manifest';
import { METRIC_DIMENSIONS, METRICS_NAMESPACE } from '../../functions/shared/metrics';
import { ITERATOR_AGE_ALARM } from '../../lib/monitoring';
import { flat, logicalId, synthApp } from './build-app';

const t = synthApp();
const functionNames = [
  ...new Set<FunctionName>([
    ...HTTP_ROUTES.map((r) => r.function),
    ...EVENT_RULES.map((r) => r.function),
    ...STREAM_CONSUMERS.map((c) => c.function),
    ...SCHEDULES.map((s) => s.function),
  ]),
];
const alarms = () => Object.values(t.apiTemplate.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
const fnRef = (name: FunctionName) => ({ Ref: logicalId(t.api.functions.get(name).function) });
const fiveMinutesAtLeastOnce = { Statistic: 'Sum', Period: 300, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' };
const TOPIC_ARN = 'arn:<AWS::Partition>:sns:<AWS::Region>:<AWS::AccountId>:DigitalDownloadsData-alarms';

describe('alarms', () => {
  it('fire on any 5xx of the HTTP API within five minutes', () => {
    t.apiTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: logicalId(t.api.api.httpApi) } }],
      TreatMissingData: 'notBreaching',
      ...fiveMinutesAtLeastOnce,
    });
  });

  it('fire when a quarter of the API requests are refused for 15 minutes (a wrong audience refuses them all), once there is traffic', () => {
    const [rate] = alarms().filter((a) => a.Metrics?.some((m: { Expression?: string }) => m.Expression?.includes('clientErrors')));
    expect(rate).toMatchObject({ Threshold: 25, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 3 });
    expect(rate?.Metrics).toContainEqual(expect.objectContaining({ Expression: 'IF(requests >= 20, 100 * clientErrors / requests, 0)', ReturnData: true }));
    expect(rate?.Metrics).toContainEqual(
      expect.objectContaining({ Id: 'clientErrors', MetricStat: expect.objectContaining({ Metric: expect.objectContaining({ MetricName: '4xx' }) }) }),
    );
  });

  it.each(functionNames)('fire on any error of %s within five minutes', (name) => {
    t.apiTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: fnRef(name) }],
      ...fiveMinutesAtLeastOnce,
    });
  });

  it('fire on any throttle of the download function, and of no other', () => {
    const throttles = alarms().filter((a) => a.MetricName === 'Throttles');
    expect(throttles.map((a) => a.Dimensions[0].Value)).toEqual([fnRef('download')]);
  });

  it.each(STREAM_CONSUMERS.map((c) => c.function))('fire when %s falls behind its stream, and on its first parked record (Errors stays at zero)', (name) => {
    t.apiTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Statistic: 'Maximum',
      Dimensions: [{ Name: 'FunctionName', Value: fnRef(name) }],
      Threshold: ITERATOR_AGE_ALARM.toMilliseconds(),
      ComparisonOperator: 'GreaterThanThreshold',
    });
    t.apiTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRICS_NAMESPACE,
      MetricName: 'StreamRecordsParked',
      Dimensions: [
        { Name: METRIC_DIMENSIONS.StreamRecordsParked, Value: name },
        { Name: 'service', Value: 'digital-downloads' },
      ],
      ...fiveMinutesAtLeastOnce,
    });
  });

  it("fire on SES's bounce and complaint rates of the configuration set, before SES reviews the account", () => {
    const configurationSet = { Ref: logicalId(t.api.email.configurationSet) };
    for (const [metric, threshold] of [
      ['Reputation.BounceRate', 0.05],
      ['Reputation.ComplaintRate', 0.001],
    ] as const) {
      t.apiTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SES',
        MetricName: metric,
        Dimensions: [{ Name: 'ses:configuration-set', Value: configurationSet }],
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
  });

  it('fire on the first complaint and on an hour of bounces, from the email-events counts', () => {
    t.apiTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: METRICS_NAMESPACE, MetricName: 'EmailsComplained', Threshold: 1, Period: 3600 });
    const [bounced] = alarms().filter((a) => a.Metrics?.some((m: { Id: string }) => m.Id === 'bounced'));
    expect(bounced?.Metrics).toContainEqual(expect.objectContaining({ Expression: 'IF(sent >= 20, bounced / sent, 0)' }));
  });

  it("all notify the data stack's alarm topic and name their runbook", () => {
    expect(alarms().length).toBeGreaterThan(functionNames.length);
    for (const alarm of alarms()) {
      expect(alarm.AlarmActions.map(flat)).toEqual([TOPIC_ARN]);
      expect(alarm.AlarmDescription).toMatch(/Runbook: docs\/operations\.md#[a-z0-9-]+$/);
    }
  });
});

describe('runbooks', () => {
  /** GitHub's anchors for the headings of docs/operations.md. */
  const anchors = new Set(
    readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('## '))
      .map((line) =>
        line
          .slice(3)
          .trim()
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replace(/ /g, '-'),
      ),
  );

  it('exist in docs/operations.md for every alarm of both stacks', () => {
    const all = [...alarms(), ...Object.values(t.dataTemplate.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties)];
    const named = all.map((a) => /docs\/operations\.md#([a-z0-9-]+)$/.exec(a.AlarmDescription)?.[1]);
    expect(named.filter((anchor) => !anchor || !anchors.has(anchor))).toEqual([]);
  });
});

describe('alarm topic (data stack)', () => {
  const topicId = () => logicalId(t.data.alarmTopic.topic);

  it('is the one the API stack names', () => {
    t.dataTemplate.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'DigitalDownloadsData-alarms' });
  });

  it('is encrypted with a rotated key that CloudWatch may use (the AWS-managed SNS key cannot grant it)', () => {
    const keyId = logicalId(t.data.alarmTopic.key);
    t.dataTemplate.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    t.dataTemplate.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
        ]),
      },
    });
  });

  it("takes TLS only, and alarms of this account's CloudWatch only", () => {
    t.dataTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId() }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }, ArnLike: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('has no subscription unless alarmEmail is set, and emails alarmEmail when it is', () => {
    t.dataTemplate.resourceCountIs('AWS::SNS::Subscription', 0);
    const withEmail = synthApp({ context: { alarmEmail: 'ops@adas-books.co.uk' } });
    withEmail.dataTemplate.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@adas-books.co.uk',
      TopicArn: { Ref: logicalId(withEmail.data.alarmTopic.topic) },
    });
  });

  it('is an output, to subscribe anything else', () => {
    t.dataTemplate.hasOutput('AlarmTopicArn', { Value: { Ref: topicId() } });
  });
});

describe('dashboard', () => {
  const [dashboard] = Object.values(t.apiTemplate.findResources('AWS::CloudWatch::Dashboard'));
  const body = flat(dashboard?.Properties.DashboardBody);

  it('is one, named after the stack and the Region (dashboards are account-wide)', () => {
    t.apiTemplate.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(flat(dashboard?.Properties.DashboardName)).toBe('DigitalDownloadsApi-<AWS::Region>');
  });

  it('shows every business metric, under the dimensions the functions publish it with', () => {
    for (const [name, dimension] of Object.entries(METRIC_DIMENSIONS)) {
      if (dimension) expect(body, name).toContain(`SEARCH('{${METRICS_NAMESPACE},service,${dimension}} MetricName=\\"${name}\\"'`);
      else expect(body, name).toMatch(new RegExp(`"${METRICS_NAMESPACE}","${name}","service","digital-downloads"`));
    }
  });

  it("shows the alarms' state, every function, the streams' iterator age and every queue", () => {
    expect(body).toContain('"type":"alarm"');
    for (const name of functionNames) expect(body, name).toContain(`"label":"${name}"`);
    expect(body).toContain('IteratorAge');
    for (const queue of Object.values(t.dataTemplate.findResources('AWS::SQS::Queue'))) {
      const name = queue.Properties.QueueName as string;
      if (!name.endsWith('-dlq') && !name.endsWith('-parked') && !name.endsWith('-stream-failures')) expect(body, name).toContain(`"QueueName","${name}"`);
      else expect(body, name).toContain(`"QueueName","${name}"`);
    }
  });
});
