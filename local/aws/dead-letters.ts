import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface DeadLetter {
  id: string;
  at: string;
  /** The consumer whose queue it belongs to (its dead-letter queue, in AWS). */
  source: string;
  reason: string;
  /** What the consumer got: the event, or the stream change. */
  payload: unknown;
}

/** The dead-letter queues, locally: DATA_DIR/dead-letters.jsonl, one line a letter, each naming its consumer. */
export class LocalDeadLetters {
  constructor(private readonly file: string) {}

  async park(entry: { source: string; reason: string; payload: unknown }) {
    const letter: DeadLetter = { id: randomUUID(), at: new Date().toISOString(), ...entry };
    appendFileSync(this.file, `${JSON.stringify(letter)}\n`);
  }

  list(): DeadLetter[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as DeadLetter];
        } catch {
          return []; // a line cut by a crash
        }
      });
  }

  /** Removes and returns the letters `which` selects (a redrive takes them back). */
  take(which: (letter: DeadLetter) => boolean): DeadLetter[] {
    const all = this.list();
    const taken = all.filter(which);
    if (taken.length === 0) return [];
    const kept = all.filter((letter) => !which(letter));
    writeFileSync(`${this.file}.tmp`, kept.map((l) => `${JSON.stringify(l)}\n`).join(''));
    renameSync(`${this.file}.tmp`, this.file);
    return taken;
  }
}
