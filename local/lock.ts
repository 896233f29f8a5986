import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Whether `pid` still runs. A runtime killed with its process group is an orphan, a zombie until init reaps it
 * (seconds on some machines): signals still reach it, yet it holds nothing, so a restart must not wait for it. */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return processState(pid) !== 'Z';
};

/** The state letter of `pid` in /proc (`R`, `S`, `Z`…); undefined without /proc (macOS), where a signal is all there is. */
export const processState = (pid: number): string | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2]; // after the command name, which may itself hold ') '
  } catch {
    return undefined;
  }
};

/**
 * One runtime per DATA_DIR: two would open the same DynamoDB files with two
 * engines. The lock is a file created exclusively, naming the runtime's pid;
 * a lock whose runtime is gone (a crash, `kill -9`) is taken over.
 */
export const lockDataDir = (dataDir: string): { release(): void } => {
  const file = join(dataDir, 'runtime.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));
      closeSync(fd);
      return { release: () => rmSync(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: number | undefined;
      try {
        holder = (JSON.parse(readFileSync(file, 'utf8')) as { pid?: number }).pid;
      } catch {
        holder = undefined; // half-written by a crash
      }
      if (holder && holder !== process.pid && alive(holder)) {
        throw new Error(`${dataDir} is in use by another local runtime (pid ${holder}); stop it first, or use another DATA_DIR`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
};
