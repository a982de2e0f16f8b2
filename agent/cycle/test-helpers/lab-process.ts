// Runs the real `lab` CLI (bin/lab.js, the compiled code) as a separate process against a test workspace,
// for what only a process can show: exit codes, stderr, signals, kill -9, two processes and one lock.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { labBin } from './workspace.js';

export type LabExit = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

export type LabProcess = {
  child: ChildProcess;
  pid: number;
  output: () => { stdout: string; stderr: string };
  exited: Promise<LabExit>;
};

/** Starts `node bin/lab.js <args>` with the built-in planner's environment (no API key), plus `extraEnv`. */
export function startLab(args: string[], cwd: string, extraEnv: Record<string, string> = {}): LabProcess {
  const env = { ...process.env };
  delete env['ANTHROPIC_API_KEY'];
  delete env['ANTHROPIC_BASE_URL'];
  Object.assign(env, extraEnv);
  const child = spawn(process.execPath, [labBin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<LabExit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, pid: child.pid!, output: () => ({ stdout, stderr }), exited };
}

export function runLab(args: string[], cwd: string, extraEnv: Record<string, string> = {}): Promise<LabExit> {
  return startLab(args, cwd, extraEnv).exited;
}

/** Polls `condition` every 50 ms until it returns a value other than null/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, condition: () => T | null | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = condition();
    if (value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The claimed results directory in the running cycle's marker (.lab/cycle.json), or null before the claim. */
export function claimedResultsDir(workspace: string): string | null {
  const path = join(workspace, '.lab', 'cycle.json');
  if (!existsSync(path)) return null;
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { claimed: string | null }).claimed;
  } catch {
    return null; // caught between the write and the rename of an atomic write: try again
  }
}

/** Pid of the `lab run` child a cycle process started, or null while there is none. */
export function experimentChildOf(parentPid: number): number | null {
  try {
    const pids = execFileSync('pgrep', ['-P', String(parentPid), '-f', 'lab.js run'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
    return pids.length > 0 ? Number(pids[0]) : null;
  } catch {
    return null; // pgrep exits 1 when nothing matches
  }
}

/** Running (a zombie nobody has reaped yet counts as gone: it can no longer write anything). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
