#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DigitalDownloadsApi } from '../lib/api';
import { readSettings } from '../lib/settings';
import { DigitalDownloadsData } from '../lib/storage';

const app = new App();
const settings = readSettings(app.node);
const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };

const data = new DigitalDownloadsData(app, 'DigitalDownloadsData', {
  env,
  description: 'Digital downloads: tables, files bucket, link-signing key (stateful, retained)',
  presignedUrlTtlSeconds: settings.presignedUrlTtlSeconds,
});
new DigitalDownloadsApi(app, 'DigitalDownloadsApi', {
  env,
  description: 'Digital downloads: HTTP API, functions, event rules, alarms (stateless)',
  data,
  ...settings,
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
