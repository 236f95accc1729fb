/**
 * One YAML file of a spec, parsed with positions, so that any path into its data (from zod, from
 * reference checks) can be turned back into the line and column where the user wrote it.
 */
import path from 'node:path';
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { DocumentPath, Problem, SpecError } from './errors.ts';
import { formatDocumentPath } from './errors.ts';

export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** How errors name the file: relative to the working directory when inside it. */
  displayName: string;
  text: string;
  document: Document;
  lineCounter: LineCounter;
}

export interface Position {
  line: number;
  column: number;
}

/** What a located problem points at: the value at the path, or (for unknown keys) the key itself. */
export type LocateTarget = 'value' | 'key';

export function displayName(absolutePath: string, cwd = process.cwd()): string {
  const relative = path.relative(cwd, absolutePath);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? absolutePath : relative;
}

const YAML_HINTS: Record<string, string> = {
  DUPLICATE_KEY:
    'a key may appear only once in a mapping: remove one of them (YAML would silently keep the last)',
  TAB_AS_INDENT: 'YAML indents with spaces only: replace the tab with spaces',
  MISSING_CHAR: 'close the quote or bracket that was opened',
  BAD_INDENT: 'indent the lines of one block by the same number of spaces, and close any [ or {',
  BLOCK_AS_IMPLICIT_KEY: 'put the nested mapping on its own, more indented lines, or quote the value',
  MULTIPLE_DOCS: 'a spec file holds a single YAML document: remove the `---` separator or split the file',
};

/** Parses YAML text; YAML syntax errors come back located where the parser found them. */
export function parseSourceFile(
  absolutePath: string,
  text: string,
): { file: SourceFile; data: unknown; readable: boolean; errors: SpecError[]; warnings: SpecError[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, merge: true });
  const file: SourceFile = {
    path: absolutePath,
    displayName: displayName(absolutePath),
    text,
    document,
    lineCounter,
  };
  const fromYaml = (
    e: { code: string; message: string; pos: [number, number] },
    severity: 'error' | 'warning',
  ) => {
    const { line, col } = lineCounter.linePos(e.pos[0]);
    const key = /^("[^"\n]*"|'[^'\n]*'|[^:\n]+?)\s*:/.exec(text.slice(e.pos[0]))?.[1] ?? '';
    const message =
      e.code === 'DUPLICATE_KEY' && key !== '' ? `duplicate key \`${key}\` in this mapping` : e.message;
    const error: SpecError = { file: file.displayName, line, column: col, path: '', message, severity };
    const hint =
      YAML_HINTS[e.code] ?? (severity === 'error' ? 'fix the YAML syntax at this position' : undefined);
    if (hint !== undefined) error.hint = hint;
    return error;
  };
  const errors = document.errors.map((e) => fromYaml(e, 'error'));
  const warnings = document.warnings.map((e) => fromYaml(e, 'warning'));
  // Duplicate keys leave a usable document (the last one wins); other syntax errors do not.
  let readable = document.errors.every((e) => e.code === 'DUPLICATE_KEY');
  let data: unknown = null;
  try {
    data = document.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    readable = false;
    errors.push({
      file: file.displayName,
      line: 1,
      column: 1,
      path: '',
      message: `cannot read the YAML document: ${(e as Error).message}`,
      hint: 'define each &anchor before the *alias that uses it',
      severity: 'error',
    });
  }
  return { file, data, readable, errors, warnings };
}

function positionOf(file: SourceFile, node: Node | null | undefined): Position {
  const offset = node?.range?.[0];
  if (offset === undefined) return { line: 1, column: 1 };
  const { line, col } = file.lineCounter.linePos(offset);
  return { line, column: col };
}

interface Found {
  /** The deepest node reached along the path. */
  node: Node | null;
  /** The key node of the last mapping entry reached, when the path ended at a mapping entry. */
  key: Node | null;
  /** True when the whole path was found. */
  complete: boolean;
}

function find(file: SourceFile, documentPath: DocumentPath): Found {
  let node = file.document.contents as Node | null;
  let key: Node | null = null;
  for (const segment of documentPath) {
    if (isAlias(node)) node = (node.resolve(file.document) as Node | undefined) ?? node;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (pair === undefined) return { node, key: null, complete: false };
      key = pair.key as Node;
      // `key:` with nothing after it has no value node: the key is the best place to point at.
      node = (pair.value as Node | null) ?? key;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (item === undefined) return { node, key: null, complete: false };
      node = item;
      key = null;
    } else {
      return { node, key: null, complete: false };
    }
  }
  return { node, key, complete: true };
}

/**
 * The position of what a path names. A path that does not exist (a missing key) points at the
 * deepest mapping or list that does; target 'key' points at a mapping entry's key.
 */
export function locate(
  file: SourceFile,
  documentPath: DocumentPath,
  target: LocateTarget = 'value',
): Position {
  const found = find(file, documentPath);
  if (target === 'key' && found.complete && found.key !== null) return positionOf(file, found.key);
  return positionOf(file, found.node);
}

/** The text the user wrote for a scalar at the path (before ${ENV} substitution), shortened. */
export function sourceText(file: SourceFile, documentPath: DocumentPath): string | undefined {
  const found = find(file, documentPath);
  if (
    !found.complete ||
    !isScalar(found.node) ||
    found.node.range === undefined ||
    found.node.range === null
  ) {
    return undefined;
  }
  const [start, end] = found.node.range;
  const text = file.text.slice(start, end).split('\n')[0]!.trim();
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Builds a located SpecError. */
export function specError(
  file: SourceFile,
  documentPath: DocumentPath,
  message: string,
  options: { hint?: string | undefined; target?: LocateTarget; severity?: 'error' | 'warning' } = {},
): SpecError {
  const { line, column } = locate(file, documentPath, options.target);
  const error: SpecError = {
    file: file.displayName,
    line,
    column,
    path: formatDocumentPath(documentPath),
    message,
    severity: options.severity ?? 'error',
  };
  if (options.hint !== undefined && options.hint !== '') error.hint = options.hint;
  return error;
}

/** Where something is, as a short "file:line:column" for messages that refer to another place. */
export function describeLocation(file: SourceFile, documentPath: DocumentPath): string {
  const { line, column } = locate(file, documentPath);
  return `${file.displayName}:${line}:${column}`;
}

export function locateProblem(file: SourceFile, problem: Problem): SpecError {
  return specError(file, problem.path, problem.message, {
    hint: problem.hint,
    target: problem.target ?? 'value',
    severity: problem.severity ?? 'error',
  });
}

/** A problem together with the file it is in. */
export interface FileProblem extends Problem {
  file: SourceFile;
}

/** A place in a file: where something was defined. */
export interface Origin {
  file: SourceFile;
  path: DocumentPath;
}

export function describeOrigin(origin: Origin): string {
  return describeLocation(origin.file, origin.path);
}
