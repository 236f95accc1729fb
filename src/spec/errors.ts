/** A problem found in a spec, located in the file where it was written. */
export interface SpecError {
  /** The file, relative to the working directory when it is inside it. */
  file: string;
  /** 1-based line and column. */
  line: number;
  column: number;
  /** Where in the document: `environments[0].hosts[2].checks[1].interval`; '' for the whole document. */
  path: string;
  /** What is wrong and what was expected. */
  message: string;
  /** What to do about it. */
  hint?: string;
  severity: 'error' | 'warning';
}

export type DocumentPath = readonly (string | number)[];

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `environments[0].hosts[2].labels["app.kubernetes.io/name"]` */
export function formatDocumentPath(path: DocumentPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** `file:line:column: error: path: message` and, when there is one, an indented hint line. */
export function formatSpecError(e: SpecError): string {
  const where = `${e.file}:${e.line}:${e.column}`;
  const what = e.path === '' ? e.message : `${e.path}: ${e.message}`;
  const head = `${where}: ${e.severity}: ${what}`;
  return e.hint === undefined ? head : `${head}\n  hint: ${e.hint}`;
}

/** A problem at a path of one file's data, before it is located (turned into line:column). */
export interface Problem {
  path: DocumentPath;
  message: string;
  hint?: string | undefined;
  /** Point at the mapping key rather than its value (unknown keys). */
  target?: 'value' | 'key';
  severity?: 'error' | 'warning';
}
