import { resolve } from 'node:path';
import { openSqliteStore } from '../store/index.ts';
import { type ApiRole, createApiToken, REPORTER_ROLES, TOKEN_ROLES } from '../web/index.ts';
import { DEFAULT_DATA_DIR, parseCommandArgs } from './args.ts';

const HELP = `Usage:
  steward token create --name NAME [--role viewer|operator|admin|audit-writer] [--data DIR]
  steward token list [--data DIR]
  steward token revoke NAME [--data DIR]

Tokens authenticate API requests ("Authorization: Bearer <token>"). Only a hash is stored; the
token is printed once, at creation. Roles: viewer (read), operator (acknowledge, downtime,
recheck, results), admin (everything, incl. reload); audit-writer only appends audit events (a
bastion's steward gateway --report-to) and may read nothing.
`;

export async function tokenCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('token', args, {
    data: { type: 'string', default: DEFAULT_DATA_DIR },
    name: { type: 'string' },
    role: { type: 'string', default: 'admin' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  const [action, arg] = positionals;
  if (values.help || !action) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const store = openSqliteStore(resolve(values.data));
  try {
    if (action === 'create') {
      const name = values.name ?? arg;
      if (!name) throw new Error('give the token a name: steward token create --name NAME');
      const roles: readonly string[] = [...TOKEN_ROLES, ...REPORTER_ROLES];
      if (!roles.includes(values.role)) {
        throw new Error(`--role "${values.role}" is not a role: use ${roles.join(', ')}`);
      }
      const { token, info } = createApiToken(store, name, values.role as ApiRole);
      if (values.json)
        process.stdout.write(`${JSON.stringify({ name: info.name, role: info.role, token })}\n`);
      else {
        process.stdout.write(`${token}\n`);
        process.stderr.write(
          `token "${info.name}" (role ${info.role}) created; it is shown only now, keep it safe.\n`,
        );
      }
      return 0;
    }
    if (action === 'list') {
      const tokens = store.listTokens();
      if (values.json) process.stdout.write(`${JSON.stringify(tokens)}\n`);
      else {
        for (const t of tokens) {
          const used = t.lastUsedAt ? new Date(t.lastUsedAt).toISOString() : 'never used';
          process.stdout.write(
            `${t.name}\t${t.role}\tcreated ${new Date(t.createdAt).toISOString()}\t${used}\n`,
          );
        }
        if (tokens.length === 0)
          process.stdout.write('no tokens; create one with: steward token create --name NAME\n');
      }
      return 0;
    }
    if (action === 'revoke') {
      const name = values.name ?? arg;
      if (!name) throw new Error('which token? steward token revoke NAME');
      if (!store.revokeToken(name)) {
        process.stderr.write(`no token named "${name}" (steward token list shows them)\n`);
        return 1;
      }
      process.stdout.write(`token "${name}" revoked\n`);
      return 0;
    }
    process.stderr.write(`unknown action "${action}"\n\n${HELP}`);
    return 2;
  } finally {
    store.close();
  }
}
