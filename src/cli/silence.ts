import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { checkSilence, parseMatchers } from '../alerting/silence-input.ts';
import { parseDuration } from '../core/duration.ts';
import { openSqliteStore } from '../store/index.ts';
import { DEFAULT_DATA_DIR, parseCommandArgs } from './args.ts';

const HELP = `Usage:
  steward silence add LABEL=VALUE|LABEL=~REGEX... [--duration 2h | --until ISO] [--author NAME] [--comment TEXT] [--data DIR]
  steward silence list [--all] [--json] [--data DIR]
  steward silence expire ID [--data DIR]

A silence mutes the alerts whose labels match all its matchers (e.g. host=web-1, environment=~test|dev,
alertname=disk) until it expires. A running steward serve picks changes up within a second.
`;

export async function silenceCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('silence', args, {
    data: { type: 'string', default: DEFAULT_DATA_DIR },
    duration: { type: 'string' },
    until: { type: 'string' },
    author: { type: 'string' },
    comment: { type: 'string', default: '' },
    all: { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  const [action, ...rest] = positionals;
  if (values.help || !action) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const store = openSqliteStore(resolve(values.data));
  try {
    const now = Date.now();
    if (action === 'add') {
      const parsed = parseMatchers(rest);
      if ('error' in parsed) throw new Error(`${parsed.error} (see: steward silence --help)`);
      let endsAt: number;
      if (values.until !== undefined) {
        endsAt = Date.parse(values.until);
        if (Number.isNaN(endsAt))
          throw new Error(`--until "${values.until}" is not a time (e.g. 2026-12-24T18:00:00Z)`);
      } else {
        const ms = parseDuration(values.duration ?? '2h');
        if (ms === null)
          throw new Error(`--duration "${values.duration}" is not a duration (e.g. 30m, 2h, 1d)`);
        endsAt = now + ms;
      }
      const checked = checkSilence(
        {
          matchers: parsed.matchers,
          endsAt,
          author: values.author ?? process.env.USER ?? userInfo().username,
          comment: values.comment,
        },
        now,
      );
      if ('error' in checked) throw new Error(checked.error);
      const s = store.addSilence(checked.silence);
      if (values.json) process.stdout.write(`${JSON.stringify(s)}\n`);
      else
        process.stdout.write(`silence #${s.id} until ${new Date(s.endsAt).toISOString()} by ${s.author}\n`);
      return 0;
    }
    if (action === 'list') {
      const list = values.all ? store.listSilences() : store.listSilences({ activeAt: now });
      if (values.json) process.stdout.write(`${JSON.stringify(list)}\n`);
      else {
        for (const s of list) {
          const matchers = Object.entries(s.matchers)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ');
          const state = s.endsAt <= now ? 'expired' : s.startsAt > now ? 'pending' : 'active';
          process.stdout.write(
            `#${s.id}\t${state}\t${matchers}\tuntil ${new Date(s.endsAt).toISOString()}\t${s.author}\t${s.comment}\n`,
          );
        }
        if (list.length === 0) process.stdout.write('no silences\n');
      }
      return 0;
    }
    if (action === 'expire') {
      const id = Number(rest[0]);
      if (!Number.isInteger(id))
        throw new Error('which silence? steward silence expire ID (steward silence list shows ids)');
      const s = store.expireSilence(id, now);
      if (!s) {
        process.stderr.write(`no silence #${id} (steward silence list --all shows them)\n`);
        return 1;
      }
      process.stdout.write(`silence #${id} expired\n`);
      return 0;
    }
    throw new Error(`unknown action "${action}": use add, list or expire (see: steward silence --help)`);
  } finally {
    store.close();
  }
}
