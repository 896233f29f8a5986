import { HTTP_ROUTES } from '../../functions/manifest';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it, expect } from 'vitest';
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { assemblyDir, buildApp } from './build-app';

interface Report {
  pluginReports: { pluginName: string; violations: { ruleName: string; severity: string; violatingConstructs: { constructPath: string }[] }[] }[];
}

/** aws-cdk-lib's built-in CloudFormation validation, by the name it reports under. */
const CFN_VALIDATE = 'CloudFormation Validate';

/** The assembly's validation report; CDK writes none when no plugin found anything. */
const reportOf = (directory: string): Report => {
  const file = path.join(directory, 'validation-report.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { pluginReports: [] };
};

const findingsOf = (report: Report, pluginName: string): string[] =>
  report.pluginReports
    .filter((r) => r.pluginName === pluginName)
    .flatMap((r) => r.violations)
    .map((v) => `${v.severity} ${v.ruleName}: ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}`);

interface Acknowledgement {
  id: string;
  reason: string;
  path: string;
}

const acknowledgementsOf = (app: ReturnType<typeof buildApp>['app']): Acknowledgement[] =>
  app.node
    .findAll()
    .flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ id, reason, path: construct.node.path }))),
    );

describe('cdk-nag AwsSolutions', () => {
  // The acknowledgements are metadata the constructs add as they are built: one unsynthesized app serves the tests that read them.
  const shop = buildApp();

  it('fails synthesis on a finding (the check is live in this test setup)', () => {
    // Prepare
    const app = new App({ outdir: assemblyDir() });
    new sqs.Queue(new Stack(app, 'Careless'), 'PlainQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Act / Assess
    expect(() => app.synth()).toThrowError(/AwsSolutions-SQS/);
  });

  it('reports a template CloudFormation would refuse (the built-in validation is live when asked for)', () => {
    // Prepare
    const app = new App({ outdir: assemblyDir(), builtinCloudFormationValidation: true });
    new CfnResource(new Stack(app, 'Careless'), 'Queue', { type: 'AWS::SQS::Queue', properties: { VisibilityTimeout: 'soon' } });

    // Act
    const report = reportOf(app.synth().directory);

    // Assess: in a test (in-memory synth) CDK reports its findings as warnings instead of failing.
    expect(findingsOf(report, CFN_VALIDATE)).toEqual([expect.stringMatching(/^warning F3012: Careless\/Queue/)]);
  });

  it.each([
    ['a shop', false],
    ['the example configuration', true],
  ])('finds nothing unacknowledged in any stack, and CloudFormation validation nothing at all, with %s', (_name, example) => {
    // Prepare
    const { app } = buildApp({ example, cloudFormationValidation: true });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Act: an in-memory synth throws with the whole report when a plugin reports an error.
    const assembly = app.synth();

    // Assess: the report lists only plugins with findings, warnings included.
    const report = reportOf(assembly.directory);
    expect(findingsOf(report, 'AwsSolutions')).toEqual([]);
    expect(findingsOf(report, CFN_VALIDATE)).toEqual([]);
  });

  it('acknowledges each finding with a reason, never with a bare rule id', () => {
    const { app } = shop;
    const acknowledgements = acknowledgementsOf(app);

    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const ack of acknowledgements) {
      // Unprefixed ids (as cdk-nag documents them) are stored under the annotation namespace.
      expect(ack.id, ack.path).toMatch(/^Annotation::AwsSolutions-[A-Z0-9]+(\[.+\])?$/);
      expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThan(60);
    }
  });

  it('never acknowledges the rules this design satisfies', () => {
    const { app } = shop;
    // CDK's own BucketDeployment provider is aws-cdk-lib's code and role, not this design's.
    const ids = acknowledgementsOf(app)
      .filter((a) => !a.path.startsWith('DigitalDownloadsApi/Custom::CDKBucketDeployment'))
      .map((a) => a.id.replace(/^Annotation::/, ''));
    // TLS-only buckets and queues, PITR, API access logs, no AWS managed policies,
    // an encrypted, TLS-only alarm topic under a rotated key, the latest Node.js runtime.
    for (const rule of [
      'AwsSolutions-L1',
      'AwsSolutions-S10',
      'AwsSolutions-SQS4',
      'AwsSolutions-DDB3',
      'AwsSolutions-APIG1',
      'AwsSolutions-IAM4',
      'AwsSolutions-SNS2',
      'AwsSolutions-SNS3',
      'AwsSolutions-KMS5',
    ]) {
      expect(ids.filter((id) => id.startsWith(rule))).toEqual([]);
    }
    // Authorization on every route but the contract's public ones (the request carries its own credential).
    const unauthorized = acknowledgementsOf(app).filter((a) => a.id.replace(/^Annotation::/, '').startsWith('AwsSolutions-APIG4'));
    expect(unauthorized).toHaveLength(HTTP_ROUTES.filter((r) => (r.access as string) === 'public').length);
  });

  it('acknowledges a route without authorizer (APIG4) only on the public routes, whose handlers check their own credential', () => {
    const { app } = shop;
    const publicPaths = HTTP_ROUTES.filter((r) => (r.access as string) === 'public').map((r) => r.routeKey.split(' ')[1] ?? '');
    const unauthorized = acknowledgementsOf(app).filter((a) => a.id.includes('AwsSolutions-APIG4'));

    expect(unauthorized.length).toBe(publicPaths.length);
    for (const ack of unauthorized) expect(publicPaths.some((path) => ack.path.includes(path.replace(/^\//, '').split('/')[0] ?? '-'))).toBe(true);
  });

  it("acknowledges AWS managed policies only on CDK's BucketDeployment provider, and only the log-writing one", () => {
    const { app } = shop;
    const managed = acknowledgementsOf(app).filter((a) => a.id.includes('AwsSolutions-IAM4'));

    expect(managed.length).toBeGreaterThan(0);
    for (const ack of managed) {
      expect(ack.path).toMatch(/^DigitalDownloadsApi\/Custom::CDKBucketDeployment[0-9A-F]+$/);
      expect(ack.id).toBe('Annotation::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]');
    }
  });
});
