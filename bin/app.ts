#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DigitalDownloadsApi } from '../lib/api';
import { readSettings } from '../lib/settings';
import { DigitalDownloadsData } from '../lib/storage';
import { DigitalDownloadsWeb } from '../lib/web';

const app = new App();
const settings = readSettings(app.node);
const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };

const data = new DigitalDownloadsData(app, 'DigitalDownloadsData', {
  env,
  description: 'Digital downloads: tables, files bucket, link-signing key (stateful, retained)',
  presignedUrlTtlSeconds: settings.presignedUrlTtlSeconds,
});
const api = new DigitalDownloadsApi(app, 'DigitalDownloadsApi', {
  env,
  description: 'Digital downloads: HTTP API, functions, event rules, alarms (stateless)',
  data,
  ...settings,
});
new DigitalDownloadsWeb(app, 'DigitalDownloadsWeb', {
  env,
  description: 'Digital downloads: web UI (console and customer page) on CloudFront (stateless, rebuildable)',
  apiUrl: api.stage.url,
  apiEndpoint: api.httpApi.apiEndpoint,
  ...settings,
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
