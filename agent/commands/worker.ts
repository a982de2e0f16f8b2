// `lab worker --queue redis://HOST:PORT [--concurrency N]`: trains runs from the queue until stopped (Ctrl-C
// finishes the runs in hand, then exits). Any machine with the same lab checkout can be one.
import { startQueueWorker } from '../io/queue-consumer.js';
import { parseQueueUrl } from '../io/queue-connection.js';

export type WorkerCommandOptions = {
  queueUrl: string;
  concurrency?: number;
  /** Lock time of a job: a killed worker's run is taken by another after about this long (default 30 s). */
  stallMs?: number;
  name?: string;
  /** Aborted on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
  log: (line: string) => void;
};

export async function runWorkerCommand(options: WorkerCommandOptions): Promise<number> {
  parseQueueUrl(options.queueUrl);
  const worker = await startQueueWorker({
    url: options.queueUrl,
    log: options.log,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.stallMs ? { stallMs: options.stallMs } : {}),
    ...(options.name ? { name: options.name } : {}),
  });
  await new Promise<void>((resolve) => (options.signal.aborted ? resolve() : options.signal.addEventListener('abort', () => resolve(), { once: true })));
  options.log(`worker ${worker.name}: stopping after the runs in hand`);
  await worker.close();
  return 0;
}
