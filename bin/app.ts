#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildDeployment } from '../lib/deployment';
import { readSettings } from '../lib/settings';

const app = new App();
buildDeployment(app, readSettings(app.node));
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
