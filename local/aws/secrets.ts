import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/** Secrets Manager, locally: DATA_DIR/secrets.json, by name (written atomically: a crash never leaves half a key set). */
export class LocalSecrets {
  constructor(private readonly file: string) {}

  all(): Record<string, string> {
    return existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>) : {};
  }

  get(name: string): string | undefined {
    return this.all()[name];
  }

  put(name: string, value: string) {
    writeFileSync(`${this.file}.tmp`, JSON.stringify({ ...this.all(), [name]: value }, null, 2), { mode: 0o600 });
    renameSync(`${this.file}.tmp`, this.file);
  }
}
