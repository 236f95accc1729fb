/**
 * The query string check_nrpe sends: `command!arg1!arg2...`. The daemon splits it on '!', and drops
 * the whole request (closing the connection without a word) when it contains one of its
 * nasty_metachars, an empty argument or "$(": checking that here turns a silent hang-up into an
 * error that says which argument is wrong.
 */

/** nrpe.c NASTY_METACHARS, the daemon's default set. */
export const NRPE_NASTY_METACHARS = "|`&><'\\[]{};\r\n";
/** nrpe.c MAX_COMMAND_ARGUMENTS: later arguments are ignored by the daemon. */
export const NRPE_MAX_ARGUMENTS = 16;

function nastyCharIn(text: string): string | undefined {
  for (const ch of text) if (NRPE_NASTY_METACHARS.includes(ch)) return ch;
  return undefined;
}

function printable(ch: string): string {
  return ch === '\r' ? '\\r' : ch === '\n' ? '\\n' : ch;
}

export type QueryBuild = { ok: true; query: string } | { ok: false; error: string };

export function buildQuery(command: string, args: readonly string[]): QueryBuild {
  if (command === '') return { ok: false, error: 'no NRPE command given: set command on the nrpe check' };
  if (command.includes('!')) {
    return {
      ok: false,
      error: `command '${command}' contains '!', the NRPE argument separator: put arguments in args`,
    };
  }
  const bad = nastyCharIn(command);
  if (bad !== undefined) {
    return {
      ok: false,
      error: `command '${command}' contains '${printable(bad)}', which the nrpe daemon refuses (nasty_metachars)`,
    };
  }
  if (args.length > NRPE_MAX_ARGUMENTS) {
    return {
      ok: false,
      error: `${args.length} arguments for '${command}': nrpe passes at most ${NRPE_MAX_ARGUMENTS} ($ARG1$..$ARG16$)`,
    };
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const where = `argument ${i + 1} of '${command}'`;
    if (arg === '') return { ok: false, error: `${where} is empty, which the nrpe daemon refuses` };
    if (arg.includes('!')) return { ok: false, error: `${where} contains '!', the NRPE argument separator` };
    const nasty = nastyCharIn(arg);
    if (nasty !== undefined) {
      return {
        ok: false,
        error: `${where} contains '${printable(nasty)}', which the nrpe daemon refuses (nasty_metachars): fix the value in nrpe.cfg instead`,
      };
    }
    if (arg.includes('$(')) {
      return {
        ok: false,
        error: `${where} contains '$(', which the nrpe daemon refuses (command substitution)`,
      };
    }
  }
  return { ok: true, query: args.length === 0 ? command : `${command}!${args.join('!')}` };
}
