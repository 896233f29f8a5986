import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';

/** The runbook of an alarm or queue: every alarm description ends with where to look. */
export const runbook = (anchor: string): string => `Runbook: docs/operations.md#${anchor}`;

export interface AlarmRule {
  /** Fires when the metric is at least this (or above it, with `above`). */
  threshold: number;
  /** Strictly above the threshold instead of at least. */
  above?: boolean;
  /** Consecutive periods that must breach. @default 1 */
  periods?: number;
  description: string;
  /** No data is normal for most of these (no traffic, an empty queue). @default NOT_BREACHING */
  missing?: cloudwatch.TreatMissingData;
}

/** One alarm, written the same way everywhere. */
export const alarmOn = (scope: Construct, id: string, metric: cloudwatch.IMetric, rule: AlarmRule): cloudwatch.Alarm =>
  new cloudwatch.Alarm(scope, id, {
    metric,
    alarmDescription: rule.description,
    threshold: rule.threshold,
    comparisonOperator: rule.above ? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD : cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: rule.periods ?? 1,
    treatMissingData: rule.missing ?? cloudwatch.TreatMissingData.NOT_BREACHING,
  });
