import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';

/**
 * The local runtime as a user runs it (`npm start`: its own process, its own
 * process group), so that a test can do to it what a user's machine does:
 * kill -9 the whole group, send SIGTERM, kill one engine.
 */
export class RuntimeProcess {
  private child: ChildProcess | undefined;
  output = '';

  /** 0 until the first start, which asks the system for a port; restarts keep it, as a user's fixed PORT does. */
  port = 0;

  constructor(
    readonly dataDir: string,
    private readonly env: Record<string, string> = {},
  ) {}

  static async create(dataDir: string, env: Record<string, string> = {}) {
    return new RuntimeProcess(dataDir, env);
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid() {
    return this.child?.pid;
  }

  /**
   * Starts the runtime with the README's `npm start` (without its prestart web build, which the browser tests own)
   * and resolves once it printed its banner. Signals go to npm, as `docker stop` or a service manager sends them.
   */
  async start(timeoutMs = 90_000): Promise<void> {
    this.output = '';
    const child = spawn('npm', ['start', '--ignore-scripts', '--silent'], {
      env: { ...process.env, PORT: String(this.port), DATA_DIR: this.dataDir, POWERTOOLS_LOG_LEVEL: 'ERROR', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    child.stdout?.on('data', (d) => (this.output += d));
    child.stderr?.on('data', (d) => (this.output += d));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the runtime did not start in ${timeoutMs} ms:\n${this.output}`)), timeoutMs);
      const check = () => {
        if (this.output.includes('Press Ctrl+C to stop.')) {
          this.port = Number(/API\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(this.output)?.[1]);
          clearTimeout(timer);
          child.stdout?.off('data', check);
          resolve();
        }
      };
      child.stdout?.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the runtime exited (${code}) while starting:\n${this.output}`));
      });
    });
  }

  /** kill -9 of the runtime's whole process group, as a crash or an impatient user does. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
    process.kill(-child.pid, 'SIGKILL');
    await exited;
  }

  /** SIGTERM to `npm start`, as `docker stop` or a service manager sends it; resolves with its exit code. */
  async terminate(timeoutMs = 30_000): Promise<number | null> {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    process.kill(child.pid, 'SIGTERM');
    const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), timeoutMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }

  async json(path: string, init: RequestInit = {}): Promise<{ status: number; body: any; headers: Headers }> {
    const response = await fetch(`${this.url}${path}`, init);
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return { status: response.status, body, headers: response.headers };
  }

  /** Waits until the runtime reports itself settled (the bus delivered everything, the streams caught up). */
  async settled(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { body } = await this.json(`/_local/idle?timeoutMs=${Math.min(20_000, deadline - Date.now())}`).catch(() => ({ body: undefined }));
      if ((body as { idle?: boolean } | undefined)?.idle === true) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`the runtime did not settle in ${timeoutMs} ms`);
  }

  async token(sub: string, scope?: string): Promise<string> {
    const query = new URLSearchParams({ sub, ...(scope ? { scope } : {}) });
    return ((await this.json(`/_local/token?${query}`)).body as { token: string }).token;
  }

  events() {
    return new EventBridgeClient({
      endpoint: `${this.url}/_aws/events`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  }

  /** The delivery emails in DATA_DIR/outbox, by invoice (read from the message, as a customer would). */
  emailsByInvoice(): Map<string, number> {
    const dir = join(this.dataDir, 'outbox');
    const counts = new Map<string, number>();
    if (!existsSync(dir)) return counts;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.eml'))) {
      const subject = /^Subject: (.*)$/m.exec(readFileSync(join(dir, file), 'utf8'))?.[1] ?? '';
      const invoice = /order (\S+)/.exec(subject)?.[1] ?? '?';
      counts.set(invoice, (counts.get(invoice) ?? 0) + 1);
    }
    return counts;
  }
}

/** The pids of engine processes (DynamoDB Local's JVM, the S3 engine) serving `dataDir`. */
export const enginePids = (dataDir: string): number[] =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmd.includes(dataDir) && (cmd.includes('DynamoDBLocal') || cmd.includes('s3-engine')) ? [Number(pid)] : [];
      } catch {
        return [];
      }
    });

/** Sends `count` PaymentSucceeded events for the demo product, 10 per PutEvents; resolves with the invoice ids the bus accepted. */
export const burst = async (runtime: RuntimeProcess, count: number, prefix: string): Promise<string[]> => {
  const client = runtime.events();
  const accepted: string[] = [];
  try {
    for (let i = 0; i < count; i += 10) {
      const invoices = Array.from({ length: Math.min(10, count - i) }, (_, j) => `${prefix}-${i + j}`);
      const out = await client.send(
        new PutEventsCommand({
          Entries: invoices.map((invoiceId) => ({
            Source: 'storefront.payments',
            DetailType: 'PaymentSucceeded',
            Detail: JSON.stringify({
              invoiceId,
              customerId: `cust-${invoiceId}`,
              customerEmail: `${invoiceId}@example.com`,
              occurredAt: new Date().toISOString(),
              lines: [{ productId: 'demo-ebook', quantity: 1 }],
            }),
          })),
        }),
      );
      out.Entries?.forEach((entry, j) => {
        if (entry.EventId) accepted.push(invoices[j] as string);
      });
    }
  } finally {
    client.destroy();
  }
  return accepted;
};
