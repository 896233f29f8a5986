import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Every engine runs under this watchdog: the engine's life is tied to the
 * runtime's by a pipe. The runtime holds the pipe's only write end; when the
 * runtime goes (a clean stop, a crash, `kill -9`), the watchdog reads EOF and
 * ends the engine. The engine dying alone ends the watchdog, which the
 * runtime sees, and restarts it. (The pipe is handed to the watcher as fd 3:
 * a background job's own stdin is /dev/null.)
 */
const WATCHDOG = `
exec 3<&0
"$@" </dev/null 3<&- &
child=$!
( while read -r _ <&3; do :; done; kill -TERM "$child" 2>/dev/null; sleep 1; kill -KILL "$child" 2>/dev/null ) &
watcher=$!
trap 'kill -TERM "$child" 2>/dev/null' TERM INT HUP
status=0
while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done
kill -TERM "$watcher" 2>/dev/null
exit $status
`;

export type EngineName = 'dynamodb' | 's3';
export type EngineState = 'starting' | 'up' | 'down' | 'stopped';

interface EngineSpec {
  name: EngineName;
  command: string;
  args: (port: number) => string[];
  cwd?: string;
  /** Resolves once the engine answers on `port`; rejects if it cannot start. */
  ready: (child: ChildProcess, port: number) => Promise<number>;
}

/**
 * One embedded engine, owned by the runtime: started on 127.0.0.1 under the
 * watchdog, restarted on the same port when it dies alone (with a growing
 * pause, so a broken engine does not spin), stopped with the runtime.
 */
export class SupervisedEngine {
  state: EngineState = 'starting';
  private child: ChildProcess | undefined;
  private port = 0;
  private restarts = 0;
  private stopping = false;
  private output = '';
  private readonly listeners = new Set<(state: EngineState) => void>();
  private upWaiters: (() => void)[] = [];

  constructor(
    private readonly spec: EngineSpec,
    private readonly log: (message: string) => void,
    private readonly onPid: (name: EngineName, pid: number | undefined) => void,
    /** Where DynamoDB Local's port comes from (the S3 engine picks its own): a port the system names free. */
    private readonly pickPort: () => Promise<number> = freePort,
  ) {}

  get name(): EngineName {
    return this.spec.name;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  onChange(listener: (state: EngineState) => void): void {
    this.listeners.add(listener);
  }

  /** Resolves true once the engine is up (at once if it is), false after `timeoutMs`. */
  waitUntilUp(timeoutMs: number): Promise<boolean> {
    if (this.state === 'up') return Promise.resolve(true);
    if (this.state === 'stopped') return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.upWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  async start(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      this.port = this.spec.name === 'dynamodb' ? await this.pickPort() : 0;
      try {
        return await this.launch();
      } catch (error) {
        // A free port the system named can be taken by another process before the JVM binds it: try another.
        if (attempt === 3 || !/Address already in use/.test((error as Error).message)) throw error;
        this.child = undefined; // so the failed engine's exit restarts nothing on the taken port
        this.log(`${this.spec.name} engine: port ${this.port} was taken meanwhile; trying another`);
      }
    }
  }

  /** Stops the engine (SIGTERM through the watchdog, SIGKILL after 5 s) and waits for it. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.setState('stopped');
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signalGroup(child, 'SIGTERM');
    const killer = setTimeout(() => signalGroup(child, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  }

  private setState(state: EngineState) {
    if (this.state === state) return;
    this.state = state;
    if (state === 'up') for (const wake of this.upWaiters.splice(0)) wake();
    for (const listener of this.listeners) listener(state);
  }

  private async launch(): Promise<void> {
    this.setState('starting');
    this.output = '';
    const child = spawn('/bin/sh', ['-c', WATCHDOG, 'watchdog', this.spec.command, ...this.spec.args(this.port)], {
      cwd: this.spec.cwd,
      // Its own process group: a Ctrl+C in the terminal reaches the runtime, which then stops the engines in order.
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    this.child = child;
    this.onPid(this.spec.name, child.pid);
    child.stdout?.on('data', (d) => (this.output = (this.output + d).slice(-4000)));
    child.stderr?.on('data', (d) => (this.output = (this.output + d).slice(-4000)));
    child.once('exit', (code, signal) => {
      if (this.child !== child) return;
      this.onPid(this.spec.name, undefined);
      if (this.stopping) return;
      this.setState('down');
      this.restarts++;
      const pause = Math.min(5000, 250 * 2 ** Math.min(this.restarts - 1, 5));
      this.log(`${this.spec.name} engine stopped (${signal ?? `exit ${code}`}); restarting in ${pause} ms`);
      setTimeout(() => {
        if (!this.stopping && this.child === child)
          this.launch().catch((error) => this.log(`${this.spec.name} engine did not restart: ${(error as Error).message}`));
      }, pause).unref();
    });
    try {
      this.port = await this.spec.ready(child, this.port);
    } catch (error) {
      if (!this.stopping && child.exitCode === null) signalGroup(child, 'SIGKILL');
      throw new Error(`${(error as Error).message}\n${this.output}`);
    }
    if (this.child !== child || this.stopping) return;
    this.restarts = 0;
    this.setState('up');
  }
}

const signalGroup = (child: ChildProcess, signal: NodeJS.Signals) => {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
};

const exitedEarly = (child: ChildProcess, what: string) =>
  new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`${what} exited while starting (${signal ?? `exit ${code}`})`)));
    child.once('error', (error) => reject(error));
  });

/** DynamoDB Local (the jar that ships inside `amplify-dynamodb-simulator`), on Java 17+. */
const dynamoDbSpec = (dir: string, log: (message: string) => void, inMemory: boolean): EngineSpec => {
  const home = join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
  const launcher = loopbackLauncher(home, log);
  const classpath = ['DynamoDBLocal.jar', 'DynamoDBLocal_lib/*', ...(launcher ? [launcher] : [])].join(':');
  return {
    name: 'dynamodb',
    command: process.env.JAVA_BIN ?? 'java',
    cwd: home,
    args: (port) => [
      // Extra JVM options, e.g. the test suites' `-XX:TieredStopAtLevel=1 -XX:+UseSerialGC`: a third faster start, slower peak.
      ...(process.env.DYNAMODB_LOCAL_JAVA_OPTS ?? '').split(/\s+/).filter(Boolean),
      '-Xms64m',
      '-Xmx512m',
      '-Djava.library.path=./DynamoDBLocal_lib',
      '-cp',
      classpath,
      launcher ? 'LoopbackDynamoDbLocal' : 'com.amazonaws.services.dynamodbv2.local.main.ServerRunner',
      '-port',
      String(port),
      ...(inMemory ? ['-inMemory'] : ['-dbPath', dir]),
      '-sharedDb',
      '-disableTelemetry',
    ],
    ready: async (child, port) => {
      const endpoint = `http://127.0.0.1:${port}`;
      const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
      const failed = exitedEarly(child, 'DynamoDB Local (is Java 17+ installed? `java -version`)');
      failed.catch(() => undefined);
      // Its JVM lives on when Jetty cannot bind the port, and whatever holds the port may never answer the probe:
      // say so as soon as the JVM does.
      let portTaken = false;
      const taken = new Promise<never>((_, reject) =>
        child.stderr?.on('data', (d) => {
          if (portTaken || !String(d).includes('Address already in use')) return;
          portTaken = true;
          reject(new Error(`DynamoDB Local could not bind ${endpoint} (Address already in use)`));
        }),
      );
      taken.catch(() => undefined);
      try {
        for (let attempt = 0; ; attempt++) {
          try {
            await Promise.race([client.send(new ListTablesCommand({})), failed, taken]);
            return port;
          } catch (error) {
            if (portTaken || child.exitCode !== null || child.signalCode !== null) throw error;
            if (attempt > 300) throw new Error(`DynamoDB Local did not answer on ${endpoint}`);
            await sleep(100);
          }
        }
      } finally {
        client.destroy();
      }
    },
  };
};

/**
 * DynamoDB Local has no host option and listens on every interface; the
 * launcher (LoopbackDynamoDbLocal.java) binds it to 127.0.0.1. It is compiled
 * once per machine into the temp directory (a JDK is needed: `javac`); without
 * one, the runtime says so and starts the jar as it is.
 */
const loopbackLauncher = (home: string, log: (message: string) => void): string | undefined => {
  const source = join(HERE, 'LoopbackDynamoDbLocal.java');
  const text = readFileSync(source);
  const dir = join(tmpdir(), `dd-dynamodb-launcher-${createHash('sha256').update(text).update(home).digest('hex').slice(0, 16)}`);
  if (existsSync(join(dir, 'LoopbackDynamoDbLocal.class'))) return dir;
  try {
    mkdirSync(dir, { recursive: true });
    execFileSync(process.env.JAVAC_BIN ?? 'javac', ['-nowarn', '-cp', `${home}/DynamoDBLocal.jar:${home}/DynamoDBLocal_lib/*`, '-d', dir, source], {
      stdio: 'pipe',
    });
    return dir;
  } catch (error) {
    log(
      `DynamoDB Local will listen on all interfaces: could not compile its loopback launcher (${(error as Error).message.split('\n')[0]}); install a JDK (javac) to bind it to 127.0.0.1`,
    );
    return undefined;
  }
};

/** The S3 engine (local/engines/s3-engine.ts) in a Node process of its own. */
const s3Spec = (dir: string): EngineSpec => ({
  name: 's3',
  command: process.execPath,
  args: (port) => ['--import', 'tsx', join(HERE, 's3-engine.ts'), dir, String(port)],
  ready: (child) =>
    new Promise<number>((resolve, reject) => {
      let buffered = '';
      const onData = (data: Buffer) => {
        buffered += data.toString();
        const line = buffered.split('\n').find((l) => l.startsWith('{'));
        if (!line) return;
        child.stdout?.off('data', onData);
        try {
          resolve((JSON.parse(line) as { port: number }).port);
        } catch (error) {
          reject(error);
        }
      };
      child.stdout?.on('data', onData);
      exitedEarly(child, 'the S3 engine').catch(reject);
    }),
});

/** Where the runtime records its engines' watchdog pids, to end any a crashed runtime left behind. */
const pidFile = (dataDir: string) => join(dataDir, 'engines.json');

/** Ends engines a previous runtime on this DATA_DIR left behind (its watchdog normally does): never two engines on one DATA_DIR. */
export const endLeftoverEngines = async (dataDir: string, log: (message: string) => void): Promise<void> => {
  if (!existsSync(pidFile(dataDir))) return;
  let recorded: Record<string, number> = {};
  try {
    recorded = JSON.parse(readFileSync(pidFile(dataDir), 'utf8')) as Record<string, number>;
  } catch {
    return;
  }
  for (const [name, pid] of Object.entries(recorded)) {
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue; // gone
    }
    if (!cmdline.includes('watchdog')) continue; // the pid was reused by something else
    log(`ending the ${name} engine a previous runtime left behind (pid ${pid})`);
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
    for (let i = 0; i < 50 && existsSync(`/proc/${pid}`); i++) await sleep(100);
  }
};

export interface Engines {
  /** Undefined when the runtime was given a DynamoDB that already runs (and likewise for S3). */
  dynamodb: SupervisedEngine | undefined;
  s3: SupervisedEngine | undefined;
  /** True while every engine answers. */
  readonly up: boolean;
  waitUntilUp(timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

export interface WantedEngines {
  dynamodb: boolean;
  s3: boolean;
  /** DynamoDB Local without files: for tables that never outlive the engine (a test run's shared one). */
  dynamodbInMemory?: boolean;
  /** Where DynamoDB Local's port comes from (default: one the system names free); a test names a taken one. */
  pickPort?: () => Promise<number>;
}

/** Starts the engines for `dataDir` that the runtime was not given an endpoint for (default both), supervised. */
export const startEngines = async (dataDir: string, log: (message: string) => void, wanted: WantedEngines = { dynamodb: true, s3: true }): Promise<Engines> => {
  await endLeftoverEngines(dataDir, log);
  const pids: Record<string, number> = {};
  const recordPid = (name: EngineName, pid: number | undefined) => {
    if (pid) pids[name] = pid;
    else delete pids[name];
    writeFileSync(pidFile(dataDir), JSON.stringify(pids));
  };
  let dynamodb: SupervisedEngine | undefined;
  if (wanted.dynamodb) {
    mkdirSync(join(dataDir, 'dynamodb'), { recursive: true });
    dynamodb = new SupervisedEngine(dynamoDbSpec(join(dataDir, 'dynamodb'), log, wanted.dynamodbInMemory ?? false), log, recordPid, wanted.pickPort);
  }
  const s3 = wanted.s3 ? new SupervisedEngine(s3Spec(join(dataDir, 's3')), log, recordPid) : undefined;
  const all = [dynamodb, s3].filter((engine): engine is SupervisedEngine => engine !== undefined);
  const stop = async () => {
    await Promise.all(all.map((engine) => engine.stop()));
  };
  try {
    await Promise.all(all.map((engine) => engine.start()));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    dynamodb,
    s3,
    get up() {
      return all.every((engine) => engine.state === 'up');
    },
    waitUntilUp: async (timeoutMs) => (await Promise.all(all.map((engine) => engine.waitUntilUp(timeoutMs)))).every(Boolean),
    stop,
  };
};
