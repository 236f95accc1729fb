/**
 * ${ENV_VAR} substitution in string values, applied to a file's data at load time so secrets stay
 * out of the repository. `$${...}` keeps the text literally. Values are never echoed: problems
 * name the variable only.
 */
import type { DocumentPath, Problem } from './errors.ts';

export type Environment = Record<string, string | undefined>;

export interface Substitution {
  data: unknown;
  problems: Problem[];
  /** Values that were put into the document, so that messages can be scrubbed of them. */
  usedValues: Map<string, string>;
  /** Where a value came (in part) from the environment, as JSON-encoded document paths. */
  referencePaths: Set<string>;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function substituteString(
  text: string,
  env: Environment,
  onMissing: (name: string) => void,
  onMalformed: (reference: string) => void,
  onUsed: (name: string, value: string) => void,
): string {
  if (!text.includes('${')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      out += '${';
      i += 3;
      continue;
    }
    if (text.startsWith('${', i)) {
      const end = text.indexOf('}', i + 2);
      if (end < 0) {
        onMalformed(text.slice(i));
        out += text.slice(i);
        break;
      }
      const name = text.slice(i + 2, end);
      if (!NAME.test(name)) {
        onMalformed(text.slice(i, end + 1));
        out += text.slice(i, end + 1);
      } else {
        const value = env[name];
        if (value === undefined) {
          onMissing(name);
          out += text.slice(i, end + 1);
        } else {
          onUsed(name, value);
          out += value;
        }
      }
      i = end + 1;
      continue;
    }
    out += text[i];
    i++;
  }
  return out;
}

export function substituteEnvironment(data: unknown, env: Environment): Substitution {
  const problems: Problem[] = [];
  const usedValues = new Map<string, string>();
  const referencePaths = new Set<string>();
  const walk = (value: unknown, at: DocumentPath): unknown => {
    if (typeof value === 'string') {
      const missing: string[] = [];
      const result = substituteString(
        value,
        env,
        (name) => missing.push(name),
        (reference) =>
          problems.push({
            path: at,
            message: `\`${reference}\` is not a valid environment variable reference`,
            // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${ENV} syntax, shown to users
            hint: 'write ${NAME} with a name of letters, digits and _ (not starting with a digit), or $${...} for literal text',
          }),
        (name, v) => {
          usedValues.set(name, v);
          referencePaths.add(JSON.stringify(at));
        },
      );
      for (const name of new Set(missing)) {
        problems.push({
          path: at,
          message: `environment variable ${name} is not set`,
          hint: `set ${name} in the environment of steward (e.g. export ${name}=...), or write $\${${name}} to keep the text literally`,
        });
      }
      return result;
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, [...at, i]));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v, [...at, k]);
      return out;
    }
    return value;
  };
  return { data: walk(data, []), problems, usedValues, referencePaths };
}

/**
 * Replaces substituted values in a message by the reference that produced them, so that no secret
 * leaks through a message that happens to quote a value. Values shorter than four characters are
 * left alone: replacing them would garble every message that contains, say, a "1".
 */
export function scrubSecrets(text: string, usedValues: Map<string, string>): string {
  let out = text;
  for (const [name, value] of usedValues) {
    if (value.length >= 4) out = out.split(value).join(`\${${name}}`);
  }
  return out;
}
