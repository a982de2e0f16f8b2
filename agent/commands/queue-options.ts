// The --queue flags of run, reproduce, cycle and loop turned into what the commands take: an executor that
// sends the runs to the job queue, and the environment a cycle's `lab run` child gets (never its command line).
import { queueExecutor } from '../io/queue-producer.js';
import { abortOnStopSignal, type CliContext, type FlagValues, type queueFlags } from './define.js';

export type QueueFlagValues = FlagValues<typeof queueFlags>;

/** `--queue URL` (or LAB_QUEUE_URL): the runs go to the queue; Ctrl-C cancels the outstanding ones. */
export function queueExecutorFrom(flags: QueueFlagValues, context: CliContext, extra: { fresh?: boolean } = {}) {
  const settings = queueSettings(flags, context);
  if (!settings) return {};
  return {
    executor: queueExecutor({
      url: settings.url,
      log: (line) => context.stderr.write(`${line}\n`),
      signal: abortOnStopSignal(context, 'cancelling the queued runs'),
      fallbackLocal: settings.fallback,
      ...(settings.idleSeconds ? { noWorkerTimeoutMs: settings.idleSeconds * 1000 } : {}),
      ...extra,
    }),
  };
}

function queueSettings(flags: QueueFlagValues, context: CliContext) {
  const url = flags.queue ?? context.env['LAB_QUEUE_URL'];
  if (!url) return null;
  const idle = flags['queue-idle-seconds'] ?? (Number(context.env['LAB_QUEUE_IDLE_SECONDS']) || undefined);
  return { url, fallback: flags['queue-fallback'] || context.env['LAB_QUEUE_FALLBACK'] === '1', idleSeconds: idle };
}

/** What a cycle's `lab run` child needs to use the queue: in its environment, never on its command line. */
export function queueChildEnv(flags: QueueFlagValues, context: CliContext): Record<string, string> | undefined {
  const settings = queueSettings(flags, context);
  if (!settings) return undefined;
  return {
    LAB_QUEUE_URL: settings.url,
    ...(settings.fallback ? { LAB_QUEUE_FALLBACK: '1' } : {}),
    ...(settings.idleSeconds ? { LAB_QUEUE_IDLE_SECONDS: String(settings.idleSeconds) } : {}),
  };
}
