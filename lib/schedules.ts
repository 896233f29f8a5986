import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import type { ScheduledRun } from '../functions/manifest';
import type { Functions } from './functions';

export interface SchedulesProps {
  readonly schedules: readonly ScheduledRun[];
  readonly functions: Functions;
}

/**
 * The manifest's scheduled functions, each on an EventBridge rule at its
 * rate. A failed run is retried twice by Lambda's asynchronous invocation and
 * is otherwise the next run's work (a scheduled function keeps no state of its
 * own between runs); its errors alarm like every function's.
 */
export class Schedules extends Construct {
  readonly rules: events.Rule[] = [];

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    for (const schedule of props.schedules) {
      this.rules.push(
        new events.Rule(this, schedule.id, {
          description: `digital-downloads ${schedule.function} every ${schedule.everyMinutes} minutes`,
          schedule: events.Schedule.rate(Duration.minutes(schedule.everyMinutes)),
          targets: [new targets.LambdaFunction(props.functions.get(schedule.function).function, { retryAttempts: 2 })],
        }),
      );
    }
  }
}
