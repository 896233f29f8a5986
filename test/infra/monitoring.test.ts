import { describe, it, expect } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { EVENT_RULES, HTTP_ROUTES, STREAM_CONSUMERS, type FunctionName } from '../../functions/manifest';
import { logicalId, synthApp } from './build-app';

const t = synthApp();
const functionNames = [
  ...new Set<FunctionName>([...HTTP_ROUTES.map((r) => r.function), ...EVENT_RULES.map((r) => r.function), ...STREAM_CONSUMERS.map((c) => c.function)]),
];
const topicId = () => logicalId(t.api.monitoring.topic);
const fiveMinutesAtLeastOnce = { Statistic: 'Sum', Period: 300, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' };

describe('alarms', () => {
  it('fire on any 5xx of the HTTP API within five minutes', () => {
    t.apiTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: logicalId(t.api.httpApi) } }],
      TreatMissingData: 'notBreaching',
      ...fiveMinutesAtLeastOnce,
    });
  });

  it.each(functionNames)('fire on any error of %s within five minutes', (name) => {
    t.apiTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(t.api.functions.get(name)!.function) } }],
      ...fiveMinutesAtLeastOnce,
    });
  });

  it('fire on any throttle of the download function within five minutes, and of no other', () => {
    // Prepare
    const throttles = t.apiTemplate.findResources('AWS::CloudWatch::Alarm', { Properties: { Namespace: 'AWS/Lambda', MetricName: 'Throttles' } });

    // Act
    const alarmed = Object.values(throttles).map((a) => a.Properties.Dimensions[0].Value.Ref as string);

    // Assess: payment-events is throttled on purpose (reserved concurrency); its events wait in Lambda's queue.
    expect(alarmed).toEqual([logicalId(t.api.functions.get('download')!.function)]);
    expect(Object.values(throttles)[0]?.Properties).toMatchObject(fiveMinutesAtLeastOnce);
  });

  it('all notify the one alarm topic, dead-letter alarms included', () => {
    const alarms = Object.values(t.apiTemplate.findResources('AWS::CloudWatch::Alarm'));

    expect(alarms.length).toBe(1 + functionNames.length + 1 + t.api.triggers.alarms.length);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId() }]);
  });
});

describe('alarm topic', () => {
  it('is encrypted with a rotated key that CloudWatch may use (the AWS-managed SNS key cannot grant it)', () => {
    const keyId = logicalId(t.api.monitoring.topicKey);
    t.apiTemplate.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    t.apiTemplate.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
        ]),
      },
    });
  });

  it("takes TLS only, and alarms of this account's CloudWatch only", () => {
    t.apiTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
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

  it('has no subscription unless alarmEmail is set', () => {
    t.apiTemplate.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('emails alarmEmail when it is set', () => {
    // Prepare
    const withEmail = synthApp({ context: { alarmEmail: 'ops@shop.example.com' } });

    // Act / Assess
    withEmail.apiTemplate.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@shop.example.com',
      TopicArn: { Ref: logicalId(withEmail.api.monitoring.topic) },
    });
  });

  it('is an output, to subscribe anything else', () => {
    t.apiTemplate.hasOutput('AlarmTopicArn', { Value: { Ref: topicId() } });
  });
});
