import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startEngines } from '../../local/engines/supervisor';
import { enginePids } from './harness';

/**
 * The race of a port the system named free and another process took before
 * DynamoDB Local's JVM bound it (two runtimes starting at once, a busy CI
 * machine): the runtime tries another port instead of failing, or hanging on
 * a JVM whose Jetty never listened.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'dd-port-taken-'));
let held: Server;

/** A listener that accepts and never answers: the probe's request to it hangs, as it would on most other programs. */
const holdAPort = () =>
  new Promise<Server>((resolve, reject) => {
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
const sockets = new Set<Socket>();

/** The process group of `pid` (field 5 of /proc/<pid>/stat, after the command's parenthesised name). */
const processGroup = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[2]);

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => (held ? held.close(resolve) : resolve(undefined)));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('DynamoDB Local on a port taken meanwhile', () => {
  it('starts on another port, says so, and leaves no JVM of the failed start behind', async () => {
    // Prepare: the first port named is already in use, as if taken between the pick and the bind.
    held = await holdAPort();
    const taken = (held.address() as { port: number }).port;
    const named: number[] = [];
    const pickPort = async () => {
      const port = named.length === 0 ? taken : await freePort();
      named.push(port);
      return port;
    };
    const log: string[] = [];

    // Act
    const engines = await startEngines(dataDir, (message) => log.push(message), { dynamodb: true, s3: false, pickPort });

    // Assess: up on the second port it was given, answering; the taken port's JVM is gone.
    try {
      const endpoint = engines.dynamodb?.endpoint as string;
      expect(named).toHaveLength(2);
      expect(endpoint).toBe(`http://127.0.0.1:${named[1]}`);
      expect(log).toContain(`dynamodb engine: port ${taken} was taken meanwhile; trying another`);
      const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
      expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
      client.destroy();
      // The failed start's JVM was killed with its watchdog's group; what is left is the live engine's group.
      await expect.poll(() => new Set(enginePids(dataDir).map(processGroup)), { timeout: 5000 }).toEqual(new Set([engines.dynamodb?.pid]));
    } finally {
      await engines.stop();
    }
    expect(enginePids(dataDir)).toEqual([]);
  }, 60_000);
});
