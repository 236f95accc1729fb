/**
 * Restores a snapshot: files into a directory (restic verifies every restored file against the
 * snapshot's content hashes), a database dump into a database that is new or empty — never over
 * a database that holds data.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { DatabaseSource } from '../core/backup.ts';
import { databaseEngine } from './database.ts';
import { type DumpManifest, parseManifest } from './dump-manifest.ts';
import { type JobContext, jobTagFilter, lockDir } from './job-context.ts';
import { type BackupProgress, progressFromStatus } from './progress.ts';
import { withRepositoryLock } from './repository-lock.ts';
import { listFiles, listSnapshots, runRestic, runResticUnlocking, type Snapshot } from './restic.ts';
import { dumpFileName } from './run-backup.ts';

/** The last megabyte or so of a dump: where Steward's manifest comment is. */
class DumpTail {
  #chunks: Buffer[] = [];
  #bytes = 0;
  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
    while (this.#chunks.length > 1 && this.#bytes - this.#chunks[0]!.length >= 1_000_000)
      this.#bytes -= this.#chunks.shift()!.length;
  }
  text(): string {
    return Buffer.concat(this.#chunks).toString('utf8');
  }
}

/** A snapshot of the job by id (full or short), or its newest with "latest". */
export async function findSnapshot(ctx: JobContext, id: string): Promise<Snapshot> {
  const snapshots = await listSnapshots(ctx.target, jobTagFilter(ctx.job));
  if (snapshots.length === 0)
    throw new Error(
      `job "${ctx.job.name}" has no snapshots yet; run \`steward backup run ${ctx.job.name}\` first`,
    );
  if (id === 'latest') return snapshots[snapshots.length - 1]!;
  const found = snapshots.find((s) => s.id === id || s.short_id === id || s.id.startsWith(id));
  if (found === undefined)
    throw new Error(
      `job "${ctx.job.name}" has no snapshot "${id}" (see: steward backup snapshots ${ctx.job.name})`,
    );
  return found;
}

export async function restoreFiles(ctx: JobContext, snapshot: Snapshot, dir: string): Promise<void> {
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new Error(
      `restore target ${dir} is not empty; restore into a new or empty directory, then move what you need`,
    );
  mkdirSync(dir, { recursive: true });
  ctx.onProgress?.({ job: ctx.job.name, phase: 'restore' });
  // restic 0.16+ reports restore progress with --json; older versions print their plain lines.
  await runResticUnlocking(ctx.target, ['restore', snapshot.id, '--target', dir, '--verify', '--json'], {
    onJson: (m) => {
      if (m.message_type === 'status') ctx.onProgress?.(progressFromStatus(ctx.job.name, 'restore', m));
    },
  });
}

/**
 * Loads a snapshot's dump into `database` (created when missing, refused when it has tables) and
 * returns the manifest Steward appended while backing up.
 */
export async function restoreDatabase(
  ctx: JobContext,
  snapshot: Snapshot,
  database: string,
): Promise<DumpManifest | null> {
  const source = ctx.job.source as DatabaseSource;
  const engine = databaseEngine(source);
  if (await engine.exists(source, database)) {
    if ((await engine.tableCount(source, database)) > 0)
      throw new Error(
        `database ${database} already has tables; restore into a new database (it is created) and switch over, or drop it first`,
      );
  } else await engine.create(source, database);
  const dumpPath = `/${dumpFileName(source)}`;
  const totalBytes = (await listFiles(ctx.target, snapshot.id)).find((n) => n.path === dumpPath)?.size;
  const stream = new PassThrough();
  const tail = new DumpTail();
  let bytesDone = 0;
  stream.on('data', (c: Buffer) => {
    tail.push(c);
    bytesDone += c.length;
    const progress: BackupProgress = { job: ctx.job.name, phase: `restore into ${database}`, bytesDone };
    if (totalBytes !== undefined && totalBytes > 0) {
      progress.totalBytes = totalBytes;
      progress.percent = (bytesDone / totalBytes) * 100;
    }
    ctx.onProgress?.(progress);
  });
  const loading = engine.load(source, database, stream);
  // Whichever fails first is reported; the other must not go unhandled meanwhile.
  loading.catch(() => undefined);
  await runRestic(ctx.target, ['dump', snapshot.id, dumpPath], { stdout: stream });
  await loading;
  return parseManifest(tail.text());
}

/** `steward backup restore`: holds the repository lock while restoring. */
export async function restoreSnapshot(
  ctx: JobContext,
  snapshotId: string,
  to: string,
): Promise<{ snapshot: Snapshot; durationMs: number }> {
  return await withRepositoryLock(lockDir(ctx.dataDir), ctx.job.repository, async () => {
    const started = Date.now();
    const snapshot = await findSnapshot(ctx, snapshotId);
    if (ctx.job.source.kind === 'files') await restoreFiles(ctx, snapshot, to);
    else await restoreDatabase(ctx, snapshot, to);
    return { snapshot, durationMs: Date.now() - started };
  });
}
