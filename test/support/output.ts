import { vi } from 'vitest';
import { logger } from '../../functions/shared/logger';

/** The JSON log lines and EMF metric lines the functions' shared layer writes while `act` runs (logger at INFO). */
export const captureOutput = async <T>(act: () => Promise<T>) => {
  const lines: string[] = [];
  const write = (chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n'));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(write);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(write);
  logger.setLogLevel('INFO');
  try {
    const result = await act();
    const json = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, any>);
    return { result, logs: json.filter((l) => !('_aws' in l)), metrics: json.filter((l) => '_aws' in l) };
  } finally {
    logger.setLogLevel('SILENT');
    out.mockRestore();
    err.mockRestore();
  }
};
