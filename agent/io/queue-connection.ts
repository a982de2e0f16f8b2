// What the coordinator and the workers share about the Redis-backed run queue (BullMQ): the URL and its
// redaction (a password never reaches a log, a result or a commit), the queue's name, a job's data and its id.
import type { ConnectionOptions } from 'bullmq';
import type { ExperimentRun } from '../../core/index.js';
import { canonicalJson, sha256 } from './hash.js';
import type { TrainJob } from './train-worker.js';
import { UserError } from '../user-error.js';

/** One queue for every experiment; jobs from different cores meet there and are refused, never mixed. */
export const RUN_QUEUE_NAME = 'parity-lab-runs';

/** What a job carries: the training job, the coordinator's core hash, and what to tell a worker that differs. */
export type QueuedRunData = {
  train: TrainJob;
  core_hash: string;
  /** The coordinator's lab checkout (git commit), so a refusing worker can say which side to update. */
  coordinator_commit: string | null;
};

/** What a worker returns for a job; the run is exactly what the local thread pool would have produced. */
export type QueuedRunResult = { worker: string; run: ExperimentRun };

/** A worker's notice, left in the job's progress when it refuses the job (read by the coordinator). */
export type RefusalNotice = { refused_by: string; worker_core_hash: string; message: string };

export class QueueUrlError extends UserError {}

/** Checks the URL early, with a message that names the fix (the URL itself is shown redacted). */
export function parseQueueUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new QueueUrlError(`--queue "${redactQueueUrl(url)}": not a URL; give redis://HOST:PORT (or redis://:PASSWORD@HOST:PORT)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new QueueUrlError(`--queue "${redactQueueUrl(url)}": expected redis:// or rediss://, got ${parsed.protocol}//`);
  }
  return parsed;
}

/** The URL with its password replaced by ***: the only form of it that may be printed. */
export function redactQueueUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}

/** Removes the URL's password from any text (an error message from the client, say) before it is shown. */
export function redactSecrets(text: string, url: string): string {
  const password = passwordOf(url);
  return password ? text.split(password).join('***') : text;
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}

/** BullMQ connection options; a worker's blocking connection needs maxRetriesPerRequest null. */
export function connectionOptions(url: string): ConnectionOptions {
  parseQueueUrl(url);
  return { url, maxRetriesPerRequest: null, enableOfflineQueue: true };
}

/**
 * The job id: a hash of (training job, core hash). The same run asked for twice is one job, whoever asks;
 * a re-run of an experiment finds its finished jobs. Prefixed so it is never an integer (BullMQ reserves those).
 */
export function runJobId(train: TrainJob, coreHash: string): string {
  return `run-${sha256(canonicalJson({ train, core_hash: coreHash })).slice(0, 40)}`;
}

/** Whether a job's progress field is a worker's refusal notice. */
export function isRefusalNotice(progress: unknown): progress is RefusalNotice {
  return typeof progress === 'object' && progress !== null && typeof (progress as RefusalNotice).refused_by === 'string';
}
