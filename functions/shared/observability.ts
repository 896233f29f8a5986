import type { Context } from 'aws-lambda';
import { instrumentClients } from './deps';
import { logger } from './logger';
import { METRICS_SERVICE, publishMetrics } from './metrics';

/**
 * Observability of every function except the download's hot path: X-Ray
 * subsegments for each AWS SDK call (the tracer wraps every client deps.ts
 * builds; importing this module is enough, since clients are built lazily in
 * the handler's body, after its imports), the Lambda context on every log
 * line, and the business metrics published after each invocation.
 *
 * The tracer is loaded in Lambda only: the X-Ray SDK takes half a second to
 * load here and installs async hooks that slow every `await` of the process
 * several times over, which the local runtime (all handlers in one process)
 * must not pay. For the same reason the download function never imports this
 * module; it counts refusals with functions/shared/metrics.ts only, and its
 * served downloads are counted by link-log.
 */
if (process.env.AWS_LAMBDA_FUNCTION_NAME && process.env.POWERTOOLS_TRACE_ENABLED !== 'false') {
  const { Tracer } = await import('@aws-lambda-powertools/tracer');
  const tracer = new Tracer({ serviceName: METRICS_SERVICE });
  instrumentClients((client) => tracer.captureAWSv3Client(client));
}

/** Wraps a handler: the Lambda context on its log lines, its metrics published when it returns or throws. */
export const observed =
  <E, R>(handler: (event: E, context: Context) => Promise<R>) =>
  async (event: E, context: Context): Promise<R> => {
    if (context) logger.addContext(context);
    try {
      return await handler(event, context);
    } finally {
      publishMetrics();
    }
  };
