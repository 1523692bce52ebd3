/** BullMQ is an optional peer dependency: it is imported only when a queue or worker is created. */
import { OptionsError } from '../errors.js';

export type BullMQ = typeof import('bullmq');

let loading: Promise<BullMQ> | undefined;

export function loadBullmq(): Promise<BullMQ> {
  loading ??= import('bullmq').catch((error: unknown) => {
    loading = undefined;
    throw new OptionsError(
      'queue: the optional peer dependency "bullmq" is not installed (npm install bullmq)',
      {
        cause: error,
      },
    );
  });
  return loading;
}

export const DEFAULT_PREFIX = 'arazzo';
export const DEFAULT_QUEUE_NAME = 'arazzo-runs';
export const JOB_NAME = 'run';

/** AAD contexts of sealed fields. */
export const sealContext = {
  config: (runId: string) => `${runId}/config`,
  state: (runId: string) => `${runId}/state`,
  result: (runId: string) => `${runId}/result`,
};
