/**
 * Rendering never sees a secret: the spec is loaded with an environment in which every ${NAME}
 * yields a marker, and the markers become ${NAME} again in the rendered files. install.sh fills
 * them in from its own environment on the host, at install time.
 */

const MARKER = /@@steward-env:([A-Za-z_][A-Za-z0-9_]*)@@/g;

/** An environment for loadSpec that answers every variable with its marker (long enough for any minimum length). */
export function markerEnvironment(): Record<string, string> {
  return new Proxy({} as Record<string, string>, {
    get: (_target, name) => (typeof name === 'string' ? `@@steward-env:${name}@@` : undefined),
  });
}

/** Markers back to ${NAME}, and the names found (which install.sh requires). */
export function restoreReferences(text: string, names: Set<string>): string {
  return text.replace(MARKER, (_m, name: string) => {
    names.add(name);
    return `\${${name}}`;
  });
}

/**
 * Markers → runtime expansions in a shell script whose every spec value is single-quoted: a
 * reference closes the quote, expands "${NAME}" when the script runs, and reopens it. For the
 * host's backup jobs, which read their secrets when they run instead of having them written in.
 */
export function runtimeReferences(script: string, names: Set<string>): string {
  return script.replace(MARKER, (_m, name: string) => {
    names.add(name);
    return `'"\${${name}}"'`;
  });
}

/** Whether a value came (wholly or partly) from ${ENV}. */
export function hasReference(text: string): boolean {
  MARKER.lastIndex = 0;
  const found = MARKER.test(text);
  MARKER.lastIndex = 0;
  return found;
}
