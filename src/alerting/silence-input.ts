/**
 * Checking a silence someone asks for (API or CLI): matchers that compile, an end after the start,
 * an author. Returns what is wrong in words, or the silence to store.
 */
import type { Silence } from '../store/types.ts';

export type SilenceRequest = {
  matchers: Record<string, string>;
  startsAt?: number;
  endsAt: number;
  author: string;
  comment?: string;
};

export function checkSilence(
  req: SilenceRequest,
  now: number,
): { silence: Omit<Silence, 'id'> } | { error: string } {
  const entries = Object.entries(req.matchers);
  if (entries.length === 0) {
    return { error: 'a silence needs at least one matcher (e.g. host=web-1 or environment=~test|dev)' };
  }
  for (const [label, value] of entries) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(label)) return { error: `"${label}" is not a label name` };
    if (value.startsWith('~')) {
      try {
        new RegExp(value.slice(1));
      } catch (err) {
        return {
          error: `matcher ${label}: "${value.slice(1)}" is not a regular expression (${(err as Error).message})`,
        };
      }
    }
  }
  if (!req.author.trim()) return { error: 'a silence needs an author' };
  const startsAt = req.startsAt ?? now;
  if (!(req.endsAt > startsAt)) return { error: 'the silence must end after it starts' };
  if (req.endsAt <= now) return { error: 'the silence would already be over: give an end in the future' };
  return {
    silence: {
      matchers: req.matchers,
      startsAt,
      endsAt: req.endsAt,
      author: req.author,
      comment: req.comment ?? '',
      createdAt: now,
    },
  };
}

/** "host=web-1", "environment=~test|dev" → matchers. */
export function parseMatchers(texts: string[]): { matchers: Record<string, string> } | { error: string } {
  const matchers: Record<string, string> = {};
  for (const text of texts) {
    const eq = text.indexOf('=');
    if (eq <= 0) return { error: `matcher "${text}" is not LABEL=VALUE or LABEL=~REGEX` };
    matchers[text.slice(0, eq)] = text.slice(eq + 1);
  }
  return { matchers };
}
