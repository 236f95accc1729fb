/** What `expectBody` asks of a response body: a substring, or `/regex/flags`. */
export type BodyMatcher =
  | { ok: true; describe: string; matches: (body: string) => boolean }
  | { ok: false; error: string };

const REGEX_FORM = /^\/(.+)\/([a-z]*)$/s;
/** Flags that make RegExp.test stateful between calls are dropped: a check must be repeatable. */
const STATEFUL_FLAGS = /[gy]/g;

export function parseBodyMatcher(expectBody: string): BodyMatcher {
  const m = REGEX_FORM.exec(expectBody);
  if (!m) {
    return { ok: true, describe: `string '${expectBody}'`, matches: (body) => body.includes(expectBody) };
  }
  const flags = m[2]!.replace(STATEFUL_FLAGS, '');
  let regex: RegExp;
  try {
    regex = new RegExp(m[1]!, flags);
  } catch (error) {
    return {
      ok: false,
      error: `expectBody ${expectBody} is not a valid regular expression (${(error as Error).message}); write a plain substring, or /pattern/flags`,
    };
  }
  return { ok: true, describe: `pattern ${expectBody}`, matches: (body) => regex.test(body) };
}
