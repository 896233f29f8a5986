import { describe, it, expect } from 'vitest';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import type { TableName } from '../../adapters/dynamo/tables';
import { ResourceNames } from '../../lib/names';
import { buildApp, flat, logicalId, synthApp } from './build-app';

const shop = synthApp();
const example = synthApp({ example: true });

type Condition = { 'Fn::Equals'?: [unknown, unknown]; 'Fn::Not'?: [unknown]; Ref?: string } | string;

/** Evaluates a rule assertion as CloudFormation would, with the parameters' values. */
const evaluate = (condition: Condition, parameters: Record<string, string>): unknown => {
  if (typeof condition === 'string') return condition;
  if (condition.Ref) return parameters[condition.Ref];
  if (condition['Fn::Equals'])
    return evaluate(condition['Fn::Equals'][0] as Condition, parameters) === evaluate(condition['Fn::Equals'][1] as Condition, parameters);
  if (condition['Fn::Not']) return !evaluate(condition['Fn::Not'][0] as Condition, parameters);
  throw new Error(`cannot evaluate ${JSON.stringify(condition)}`);
};

/** What a bootstrapped account's parameters resolve to (BootstrapVersion is an SSM parameter holding a number). */
const BOOTSTRAPPED = { BootstrapVersion: '30' };

describe('the example configuration', () => {
  it.each([
    ['data', example.dataTemplate],
    ['API', example.apiTemplate],
  ])('synthesizes, but the %s stack refuses to deploy, naming the settings to give', (_name, template) => {
    // Act
    const rules = template.toJSON().Rules as Record<string, { Assertions: { Assert: Condition; AssertDescription: string }[] }>;
    const refusal = rules.RefuseExampleConfiguration;

    // Assess: the assertion fails in any account, so CloudFormation changes nothing.
    expect(refusal).toBeDefined();
    for (const assertion of refusal?.Assertions ?? []) {
      expect(evaluate(assertion.Assert, BOOTSTRAPPED)).toBe(false);
      expect(assertion.AssertDescription).toMatch(/NOT DEPLOYABLE: jwtIssuer, webClientId, shopUrl, senderEmail are placeholders/);
      expect(assertion.AssertDescription).toContain('-c jwtIssuer=… -c webClientId=… -c shopUrl=… -c senderEmail=…');
    }
    expect(template.toJSON().Description).toMatch(/^\[NOT DEPLOYABLE: example configuration\]/);
  });

  it('warns at synth, on each stack', () => {
    for (const stack of [example.data, example.api]) {
      Annotations.fromStack(stack).hasWarning(`/${stack.stackName}`, Match.stringLikeRegexp('EXAMPLE CONFIGURATION, NOT DEPLOYABLE'));
    }
  });

  it("adds no refusal for a shop's real values", () => {
    for (const template of [shop.dataTemplate, shop.apiTemplate]) {
      expect(Object.keys(template.toJSON().Rules ?? {})).toEqual(['CheckBootstrapVersion']);
      expect(template.toJSON().Description).not.toContain('NOT DEPLOYABLE');
    }
  });

  it('refuses a single placeholder among real values too', () => {
    const one = synthApp({ context: { senderEmail: 'downloads@shop.example.com' } });
    const rule = one.apiTemplate.toJSON().Rules.RefuseExampleConfiguration;
    expect(rule.Assertions[0].AssertDescription).toMatch(/senderEmail is a placeholder/);
  });
});

describe('the cloud assembly', () => {
  const assembly = shop.app.synth();
  const data = assembly.getStackByName('DigitalDownloadsData');
  const api = assembly.getStackByName('DigitalDownloadsApi');

  it('protects the data stack from termination (destroying it would make a new signing key and break every emailed link), not the stateless one', () => {
    expect(data.terminationProtection).toBe(true);
    expect(api.terminationProtection).toBeFalsy();
  });

  it('deploys the data stack before the API stack', () => {
    expect(api.dependencies.map((d) => d.id)).toContain('DigitalDownloadsData');
  });

  it('bakes no Region or account in: they are the environment’s when the templates are deployed', () => {
    for (const stack of [data, api]) {
      expect(stack.environment).toMatchObject({ account: 'unknown-account', region: 'unknown-region' });
      // The issuer's URL names its own Region; nothing else may.
      const text = JSON.stringify(stack.template).replaceAll('cognito-idp.eu-west-1.amazonaws.com', '').replaceAll('eu-west-1_AbCdEf123', '');
      expect(text.match(/\b(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d\b/g) ?? []).toEqual([]);
      expect(text.match(/\b\d{12}\b/g) ?? []).toEqual([]);
    }
  });
});

describe('a data resource that is replaced', () => {
  const stateful = {
    'AWS::DynamoDB::Table': 'TableName',
    'AWS::SQS::Queue': 'QueueName',
    'AWS::SNS::Topic': 'TopicName',
    'AWS::SecretsManager::Secret': 'Name',
  } as const;

  it('cannot be replaced by a deploy: every table, queue, topic, secret and the files bucket has a fixed name (CloudFormation refuses to replace a named resource)', () => {
    for (const [type, nameProperty] of Object.entries(stateful)) {
      const resources = Object.entries(shop.dataTemplate.findResources(type));
      expect(resources.length, type).toBeGreaterThan(0);
      for (const [id, resource] of resources) expect(flat(resource.Properties[nameProperty]), id).toMatch(/^DigitalDownloadsData[-/]/);
    }
    const bucket = shop.dataTemplate.toJSON().Resources[logicalId(shop.data.storage.filesBucket)];
    expect(flat(bucket.Properties.BucketName)).toBe('digitaldownloadsdata-files-<AWS::AccountId>-<AWS::Region>');
  });

  it('is read by the API stack only by name, except the streams, whose ARNs carry a creation time', () => {
    // Prepare
    const text = JSON.stringify(shop.apiTemplate.toJSON());

    // Act
    const outputsRead = [...text.matchAll(/"OutputName":"([^"]+)"/g)].map((m) => m[1]);

    // Assess
    expect(new Set(outputsRead)).toEqual(new Set(Object.keys(shop.dataTemplate.toJSON().Outputs).filter((name) => /StreamArn/.test(name))));
    expect(outputsRead.length).toBeGreaterThan(0);
  });

  it('moves the API stack with it: a table under a new name changes its environment, grants and stream mapping in the same deploy', () => {
    // Prepare: the links table replaced by one with another name (a restore, a new key schema).
    class Renamed extends ResourceNames {
      override table(name: TableName): string {
        return name === 'links' ? 'DigitalDownloadsData-links-v2' : super.table(name);
      }
    }
    const before = shop.apiTemplate;

    // Act
    const after = synthApp({ names: new Renamed() }).apiTemplate;

    // Assess
    const mappingIds = (template: typeof before) =>
      Object.entries(template.findResources('AWS::Lambda::EventSourceMapping'))
        .filter(([, m]) => JSON.stringify(m.Properties.EventSourceArn).includes('GetStackOutput'))
        .map(([id]) => id);
    after.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ LINKS_TABLE: 'DigitalDownloadsData-links-v2' }) } });
    expect(JSON.stringify(after.findResources('AWS::IAM::Policy'))).toContain(':table/DigitalDownloadsData-links-v2');
    expect(JSON.stringify(after.findResources('AWS::IAM::Policy'))).not.toContain(':table/DigitalDownloadsData-links"');
    // The links stream's mapping is a new resource, which reads the new stream's ARN when it is created.
    const linkLogBefore = mappingIds(before).filter((id) => id.startsWith('FunctionsLinkLog'));
    const linkLogAfter = mappingIds(after).filter((id) => id.startsWith('FunctionsLinkLog'));
    expect(linkLogAfter).toHaveLength(1);
    expect(linkLogAfter).not.toEqual(linkLogBefore);
    // The invoices stream's mapping is untouched.
    expect(mappingIds(after).filter((id) => id.startsWith('FunctionsInvoiceOutbox'))).toEqual(
      mappingIds(before).filter((id) => id.startsWith('FunctionsInvoiceOutbox')),
    );
  });

  it('refuses a stream consumer of a table without a stream', () => {
    expect(() => buildApp({ manifest: { streamConsumers: [{ table: 'products' as 'links', function: 'link-log' }] } })).toThrowError(
      /link-log consumes the products stream, but that table has no stream/,
    );
  });
});
