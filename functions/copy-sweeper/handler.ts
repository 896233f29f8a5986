import { S3ObjectStore } from '../../adapters/s3/object-store';
import { sweepExpiredCopies } from '../../core/use-cases/sweep-expired-copies';
import { config } from '../shared/config';
import { linkStore, s3Client } from '../shared/deps';
import { logger } from '../shared/logger';

const deps = { links: linkStore(), objects: new S3ObjectStore(s3Client(), config().FILES_BUCKET) };

/**
 * On its schedule (functions/manifest.ts SCHEDULES): the stamped copies of
 * links that expired more than a day ago are removed, a bounded number per
 * run (what is left waits for the next). A run that fails is simply the next
 * run's work: every step is idempotent.
 */
export const handler = async (): Promise<{ swept: number; objectsRemoved: number; movedOn: number; complete: boolean }> => {
  const result = await sweepExpiredCopies(deps, { now: new Date().toISOString() });
  logger.info('expired stamped copies swept', { ...result });
  return result;
};
