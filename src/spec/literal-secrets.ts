/**
 * Secrets come from the environment, never from the spec (which lives in git). Checked on the
 * text as written, before ${NAME} substitution: `rest:https://backup:${REST_PASSWORD}@host/` is
 * how restic before 0.17 takes REST credentials and is fine; a password typed into the URL is not.
 */
import type { Problem } from './errors.ts';
import { asArray, asObject } from './plain-data.ts';

/** rest:/s3: URLs with user:password@ (restic also reads credentials from its environment). */
const URL_CREDENTIALS = /^(rest|s3):https?:\/\/[^/@]*:([^/@]*)@/;

export function literalSecretProblems(data: unknown): Problem[] {
  const problems: Problem[] = [];
  asArray(asObject(asObject(data)?.backup)?.repositories).forEach((repository, i) => {
    const url = asObject(asObject(repository)?.restic)?.repository;
    if (typeof url !== 'string') return;
    const password = URL_CREDENTIALS.exec(url)?.[2];
    if (password === undefined || /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(password)) return;
    problems.push({
      path: ['backup', 'repositories', i, 'restic', 'repository'],
      // ", got …" said here keeps the error printer from quoting the URL, password and all.
      message: 'expected a repository URL without a password, got one with user:password@ in it',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${ENV} syntax, shown to users
      hint: 'write the password as ${NAME} and export NAME where steward runs (rest:https://user:${REST_PASSWORD}@host:8000/path/), or export RESTIC_REST_USERNAME and RESTIC_REST_PASSWORD (restic 0.17+)',
    });
  });
  return problems;
}
