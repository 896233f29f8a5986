import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Structured JSON logs with a correlation id per request. Never pass tokens,
 * presigned URLs, keys or whole HTTP events to it.
 */
export const logger = new Logger({ serviceName: 'digital-downloads' });
