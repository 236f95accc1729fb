import { resolve } from 'node:path';
import { openSqliteStore } from '../store/index.ts';
import { addUser, parseRoles, resetTotp, setPassword } from '../web/users/index.ts';
import { DEFAULT_DATA_DIR, parseCommandArgs } from './args.ts';

const HELP = `Usage:
  steward user add NAME --role ROLES [--data DIR]    (password read from stdin, or asked)
  steward user passwd NAME [--data DIR]             (new password from stdin; ends the user's sessions)
  steward user totp-reset NAME [--data DIR]         (the next sign-in enrols a new authenticator)
  steward user list [--data DIR]

Dashboard users sign in with a password and a TOTP code. ROLES is one role for every environment
(viewer, operator, admin) or per environment: --role prod=viewer,dev=operator,*=viewer.
Admin for * may read the audit log. Passwords need 12 characters or more.
`;

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    process.stderr.write('password (input is shown; prefer piping it in): ');
  }
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.split('\n', 1)[0]!.replace(/\r$/, '');
}

export async function userCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('user', args, {
    data: { type: 'string', default: DEFAULT_DATA_DIR },
    role: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  const [action, name] = positionals;
  if (values.help || !action) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const store = openSqliteStore(resolve(values.data));
  try {
    if (action === 'list') {
      const users = store.listUsers().map((u) => ({
        name: u.name,
        roles: u.roles,
        totp: u.totpConfirmed ? 'enrolled' : 'not enrolled',
        locked: u.lockedUntil !== null && u.lockedUntil > Date.now(),
      }));
      if (values.json) process.stdout.write(`${JSON.stringify(users)}\n`);
      else
        for (const u of users)
          process.stdout.write(
            `${u.name}\t${Object.entries(u.roles)
              .map(([e, r]) => `${e}=${r}`)
              .join(',')}\t${u.totp}${u.locked ? '\tlocked' : ''}\n`,
          );
      return 0;
    }
    if (!name) throw new Error(`which user? steward user ${action} NAME`);
    if (action === 'add') {
      if (!values.role) throw new Error('give the user a role: --role viewer (or prod=viewer,dev=operator)');
      const roles = parseRoles(values.role);
      await addUser(store, name, await readPassword(), roles);
      process.stdout.write(`user "${name}" added; TOTP enrolment happens at the first sign-in\n`);
      return 0;
    }
    if (action === 'passwd') {
      await setPassword(store, name, await readPassword());
      process.stdout.write(`password of "${name}" changed; their sessions are closed\n`);
      return 0;
    }
    if (action === 'totp-reset') {
      resetTotp(store, name);
      process.stdout.write(`TOTP of "${name}" reset; they enrol again at the next sign-in\n`);
      return 0;
    }
    process.stderr.write(`unknown action "${action}"\n\n${HELP}`);
    return 2;
  } finally {
    store.close();
  }
}
