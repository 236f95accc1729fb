/**
 * What happened to each job, kept in the data directory as JSON lines: runs, drills, checks and
 * forgets. The runbook quotes the last drill's figures from here.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface HistoryEntry {
  type: 'run' | 'drill' | 'check' | 'forget' | 'restore';
  job: string;
  at: string;
  ok: boolean;
  [key: string]: unknown;
}

export function historyFile(dataDir: string): string {
  return join(dataDir, 'backup', 'history.jsonl');
}

export function appendHistory(dataDir: string, entry: HistoryEntry): void {
  const file = historyFile(dataDir);
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

export function readHistory(dataDir: string): HistoryEntry[] {
  const file = historyFile(dataDir);
  if (!existsSync(file)) return [];
  const entries: HistoryEntry[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      entries.push(JSON.parse(line) as HistoryEntry);
    } catch {
      // A line cut short by a crash: skipped.
    }
  }
  return entries;
}

export function lastEntry(
  entries: HistoryEntry[],
  job: string,
  type: HistoryEntry['type'],
): HistoryEntry | undefined {
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.job === job && e.type === type) return e;
  }
  return undefined;
}
