import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockDataDir, processState } from '../../local/lock';

const dirs: string[] = [];
const children: number[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-lock-'));
  dirs.push(dir);
  return dir;
};
const holdBy = (dir: string, pid: number | string) => writeFileSync(join(dir, 'runtime.lock'), JSON.stringify({ pid }));

/** A zombie as a kill -9 of a runtime's group leaves it: `sleep 0` exits, and its parent (`exec sleep 30`) never reaps it. */
const zombie = async (): Promise<number> => {
  const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(parent.pid as number);
  const pid = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (d) => resolve(String(d)))));
  while (processState(pid) !== 'Z') await new Promise((r) => setTimeout(r, 10));
  return pid;
};

afterEach(() => {
  for (const pid of children.splice(0)) process.kill(pid, 'SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('one runtime per DATA_DIR', () => {
  it('names this runtime in the lock and removes the lock on release', () => {
    const dir = dataDir();

    const lock = lockDataDir(dir);

    expect(JSON.parse(readFileSync(join(dir, 'runtime.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
    expect(existsSync(join(dir, 'runtime.lock'))).toBe(false);
  });

  it('refuses a DATA_DIR whose runtime still runs, naming its pid', () => {
    const dir = dataDir();
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    children.push(other.pid as number);
    holdBy(dir, other.pid as number);

    expect(() => lockDataDir(dir)).toThrow(`${dir} is in use by another local runtime (pid ${other.pid}); stop it first, or use another DATA_DIR`);
    expect(readFileSync(join(dir, 'runtime.lock'), 'utf8')).toContain(String(other.pid));
  });

  it.each([
    [
      'has exited',
      async () => {
        const gone = spawn('true');
        await new Promise((r) => gone.once('exit', r));
        return gone.pid as number;
      },
    ],
    ['is a zombie no one has reaped yet (kill -9 of its group, then a restart at once)', zombie],
  ])('takes over the lock of a runtime that %s', async (_case, holder) => {
    const dir = dataDir();
    holdBy(dir, await holder());

    lockDataDir(dir);

    expect(JSON.parse(readFileSync(join(dir, 'runtime.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('takes over a lock a crash left half-written', () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'runtime.lock'), '{"pi');

    lockDataDir(dir);

    expect(JSON.parse(readFileSync(join(dir, 'runtime.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
  });
});
