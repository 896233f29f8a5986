import { type FunctionName, SCHEDULES } from '../functions/manifest';

/** What EventBridge hands a scheduled function. */
const scheduledEvent = (id: string) => ({
  version: '0',
  id: crypto.randomUUID(),
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '000000000000',
  time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  region: process.env.AWS_REGION ?? 'us-east-1',
  resources: [`arn:aws:events:local:000000000000:rule/${id}`],
  detail: {},
});

/**
 * The manifest's schedules on one machine: each function runs once at start
 * (a machine is often off when its hour comes) and then every `everyMinutes`;
 * `run` runs one now (tests, operators). A failed run is logged and left to
 * the next, as in AWS.
 */
export class LocalSchedules {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly invoke: (name: FunctionName, event: unknown) => Promise<unknown>,
    private readonly log: (message: string) => void,
  ) {}

  start() {
    for (const schedule of SCHEDULES) {
      this.fire(schedule.function);
      this.timers.push(setInterval(() => this.fire(schedule.function), schedule.everyMinutes * 60_000).unref());
    }
  }

  /** Runs a scheduled function now; its answer, or its error. */
  run(name: FunctionName): Promise<unknown> {
    const schedule = SCHEDULES.find((s) => s.function === name);
    if (!schedule) throw new Error(`${name} has no schedule (functions/manifest.ts SCHEDULES)`);
    return this.invoke(name, scheduledEvent(schedule.id));
  }

  private fire(name: FunctionName) {
    const run: Promise<void> = this.run(name)
      .then(
        () => undefined,
        (error: Error) => this.log(`scheduled ${name} failed (the next run retries): ${error.message}`),
      )
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** No new runs; the ones in flight finish. */
  async stop() {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await Promise.all([...this.running]);
  }
}
