// CPU, memory and disk of an incumbent's process tree, measured from /proc the same way for
// every system a bench compares.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * CPU ticks (1/100 s) of a process and its descendants, including children they reaped (forked
 * plugins: cutime/cstime), and their summed RSS.
 */
export function treeUsage(root: number): { ticks: number; rssBytes: number } {
  const children = new Map<number, number[]>();
  const stats = new Map<number, string[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), fields);
      const parent = Number(fields[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  let ticks = 0;
  let rssBytes = 0;
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    const fields = stats.get(pid);
    if (fields) {
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      rssBytes += Number(fields[21]) * 4096;
    }
    pending.push(...(children.get(pid) ?? []));
  }
  return { ticks, rssBytes };
}

export function duBytes(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.blocks * 512;
  let total = st.blocks * 512;
  for (const entry of readdirSync(path)) total += duBytes(join(path, entry));
  return total;
}
