import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, isProcessAlive, LockError, readLockHolder } from './lock.js';

let workspace: string;
beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'lab-lock-'));
});
afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

/** A pid that certainly belonged to a process which has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.exit(0)']);
  expect(child.pid).toBeGreaterThan(0);
  expect(isProcessAlive(child.pid)).toBe(false);
  return child.pid;
}

async function writeLockFile(content: string): Promise<void> {
  await mkdir(join(workspace, '.lab'), { recursive: true });
  await writeFile(join(workspace, '.lab', 'lock'), content);
}

describe('acquireLock', () => {
  it('writes .lab/lock naming this process and removes it on release', async () => {
    const lock = await acquireLock(workspace, { command: 'lab cycle', now: () => new Date('2025-03-01T02:00:00Z') });
    const onDisk = JSON.parse(await readFile(join(workspace, '.lab', 'lock'), 'utf8'));
    expect(onDisk).toMatchObject({ pid: process.pid, hostname: hostname(), command: 'lab cycle', started_at: '2025-03-01T02:00:00.000Z' });
    expect(lock.tookOverFrom).toBeNull();
    expect(await lock.release()).toBe(true);
    expect(await readdir(join(workspace, '.lab'))).toEqual([]);
  });

  it('refuses a second holder while the first holds it, saying who holds it and what to do', async () => {
    const first = await acquireLock(workspace, { command: 'lab loop', now: () => new Date('2025-03-01T02:00:00Z') });
    const second = acquireLock(workspace, { command: 'lab cycle' });
    await expect(second).rejects.toBeInstanceOf(LockError);
    await expect(second).rejects.toThrow(`pid ${process.pid} ("lab loop")`);
    await expect(second).rejects.toThrow('since 2025-03-01T02:00:00.000Z');
    await expect(second).rejects.toThrow(`kill ${process.pid}`);
    await first.release();
    const third = await acquireLock(workspace, { command: 'lab cycle' });
    expect(third.tookOverFrom).toBeNull();
    await third.release();
  });

  it('takes over a lock whose process is dead and reports it', async () => {
    const pid = deadPid();
    await writeLockFile(JSON.stringify({ pid, hostname: hostname(), command: 'lab loop', started_at: '2025-03-01T01:00:00.000Z', token: 'abc' }));
    const messages: string[] = [];
    const lock = await acquireLock(workspace, { command: 'lab cycle', onMessage: (message) => messages.push(message) });
    expect(lock.tookOverFrom?.reason).toBe('dead_process');
    expect(messages).toEqual([`stale lock from pid ${pid} (lab loop, started 2025-03-01T01:00:00.000Z) taken over`]);
    expect((await readLockHolder(workspace))?.pid).toBe(process.pid);
    expect((await readdir(join(workspace, '.lab'))).sort()).toEqual(['lock']);
    await lock.release();
  });

  it('takes over a lock file that is unreadable garbage', async () => {
    await writeLockFile('{"pid": 12');
    const lock = await acquireLock(workspace, { command: 'lab cycle' });
    expect(lock.tookOverFrom?.reason).toBe('unreadable');
    expect(lock.tookOverFrom?.message).toContain('unreadable lock file');
    await lock.release();
  });

  it('does not take over a lock held on another host, since it cannot check that pid', async () => {
    await writeLockFile(JSON.stringify({ pid: deadPid(), hostname: 'some-other-host', command: 'lab loop', started_at: '2025-03-01T01:00:00.000Z' }));
    await expect(acquireLock(workspace, { command: 'lab cycle' })).rejects.toThrow('some-other-host');
  });

  it('lets exactly one of many racing takeovers of a stale lock win', async () => {
    await writeLockFile(JSON.stringify({ pid: deadPid(), hostname: hostname(), command: 'lab loop', started_at: '2025-03-01T01:00:00.000Z' }));
    const attempts = await Promise.allSettled(Array.from({ length: 8 }, (_, index) => acquireLock(workspace, { command: `racer ${index}` })));
    const winners = attempts.filter((attempt) => attempt.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    const winner = (winners[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireLock>>>).value;
    expect((await readLockHolder(workspace))?.token).toBe(winner.holder.token);
    expect(attempts.filter((attempt) => attempt.status === 'rejected').every((attempt) => (attempt as PromiseRejectedResult).reason instanceof LockError)).toBe(
      true,
    );
    expect((await readdir(join(workspace, '.lab'))).sort()).toEqual(['lock']);
    await winner.release();
  });

  it('release leaves alone a lock that has since been taken over by someone else', async () => {
    const lock = await acquireLock(workspace, { command: 'lab cycle' });
    await writeLockFile(JSON.stringify({ pid: process.pid, hostname: hostname(), command: 'other', started_at: 'x', token: 'someone-else' }));
    expect(await lock.release()).toBe(false);
    expect((await readLockHolder(workspace))?.token).toBe('someone-else');
  });
});
