// Runs `lab run <spec>` in a child process (execa) under a time limit: the bench is isolated from the
// agent, and a crash or hang of training cannot take the agent down. One result shape for success and failure.
import { join } from 'node:path';
import { execa } from 'execa';
import { packageRoot } from './provenance.js';

export type ChildRunResult = {
  failed: boolean;
  exitCode: number | null;
  timedOut: boolean;
  cancelled: boolean;
  durationMs: number;
  /** The last lines of the child's stderr, for the INVALID finding's reason. */
  stderrTail: string;
};

export type RunChildOptions = {
  workspace: string;
  specPath: string;
  timeoutMs: number;
  cancelSignal?: AbortSignal;
  workers?: number;
  /** Extra environment for the child (the job queue's settings travel here, never on the command line). */
  env?: Record<string, string>;
};

export async function runExperimentChild(options: RunChildOptions): Promise<ChildRunResult> {
  const bin = join(packageRoot(), 'bin', 'lab.js');
  const args = [
    bin,
    'run',
    options.specPath,
    '--workspace',
    options.workspace,
    '--no-finding',
    ...(options.workers ? ['--workers', String(options.workers)] : []),
  ];
  const result = await execa(process.execPath, args, {
    cwd: options.workspace,
    timeout: options.timeoutMs,
    reject: false,
    forceKillAfterDelay: 2000,
    env: { ...options.env, LAB_PARENT_PID: String(process.pid) },
    ...(options.cancelSignal ? { cancelSignal: options.cancelSignal } : {}),
  });
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  return {
    failed: result.failed,
    exitCode: result.exitCode ?? null,
    timedOut: result.timedOut,
    cancelled: result.isCanceled,
    durationMs: result.durationMs,
    stderrTail: stderr.split('\n').filter(Boolean).slice(-8).join('\n'),
  };
}
