export interface InstallScriptInput {
  host: string;
  /** Environment variables the rendered files reference (secrets): required at install time. */
  secrets: string[];
  /** Rendered files to install: path in the --out dir, destination, mode. */
  files: { path: string; installTo: string; mode: string }[];
  /** Plugins Steward ships that the commands use (copied to $STEWARD_PLUGIN_DIR). */
  plugins: string[];
  /** Services to restart after installing. */
  restart: string[];
  /** Extra lines (host lockdown), run last. */
  extra: string[];
  /** Backup jobs: files copied verbatim (they expand their variables when they run), timers enabled. */
  backup?: {
    copies: { path: string; installTo: string; mode: string }[];
    timers: string[];
    /** Files the jobs read when they run, which the operator provides: install.sh says which are missing. */
    needs: { file: string; what: string }[];
  };
}

/**
 * install.sh: fills ${NAME} references in from the environment (refusing to go on when one is
 * unset), installs the files with tight modes, copies Steward's plugins and restarts the agents.
 * STEWARD_INSTALL_ROOT puts the /etc files under another root (tests, images), STEWARD_PLUGIN_DIR
 * says where the plugins go (the path nrpe.cfg names); STEWARD_NO_RESTART=1 skips the restarts.
 */
export function renderInstallScript(input: InstallScriptInput): string {
  const lines = [
    '#!/bin/sh',
    `# Installs the monitoring agents' configuration of ${input.host}, rendered by \`steward render host\`.`,
    '# Run it on the host, as root, from this directory, with the secrets in the environment:',
    ...input.secrets.map((name) => `#   ${name}`),
    ...(input.backup === undefined
      ? []
      : [
          '# The backup jobs read, when they run (nothing of it is written here; mode 0600, root):',
          ...input.backup.needs.map((n) => `#   ${n.file}: ${n.what}`),
        ]),
    '# STEWARD_INSTALL_ROOT=/some/dir puts the /etc files under that root; STEWARD_PLUGIN_DIR is where',
    "# Steward's plugins go (default /usr/lib/steward/plugins; nrpe.cfg names it); STEWARD_NO_RESTART=1",
    '# restarts nothing.',
    'set -eu',
    'cd "$(dirname "$0")"',
    'ROOT=${STEWARD_INSTALL_ROOT:-}',
    'STEWARD_PLUGIN_DIR=${STEWARD_PLUGIN_DIR:-/usr/lib/steward/plugins}',
    'export STEWARD_PLUGIN_DIR',
    ...input.secrets.map(
      (name) => `: "\${${name}:?set ${name} in the environment (the rendered files refer to it)}"`,
    ),
    ...input.secrets.map((name) => `export ${name}`),
    '',
    '# ${NAME} → the value of NAME in this environment (values are not re-scanned).',
    'fill() {',
    "  awk '{",
    '    out = ""; rest = $0',
    '    while (match(rest, /\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}/)) {',
    '      name = substr(rest, RSTART + 2, RLENGTH - 3)',
    '      out = out substr(rest, 1, RSTART - 1) ENVIRON[name]',
    '      rest = substr(rest, RSTART + RLENGTH)',
    '    }',
    '    print out rest',
    '  }\' "$1"',
    '}',
    '',
    '# Files are written unreadable to others from the start (they may hold secrets); chmod opens what may be read.',
    'umask 077',
  ];
  for (const file of input.files) {
    lines.push(
      `(umask 022 && mkdir -p "$ROOT${dirname(file.installTo)}")`,
      `fill ${file.path} > "$ROOT${file.installTo}.steward-new"`,
      `chmod ${file.mode} "$ROOT${file.installTo}.steward-new"`,
      `mv "$ROOT${file.installTo}.steward-new" "$ROOT${file.installTo}"`,
    );
  }
  if (input.plugins.length > 0) {
    lines.push('(umask 022 && mkdir -p "$STEWARD_PLUGIN_DIR")');
    for (const plugin of input.plugins) {
      lines.push(`install -m 0755 plugins/${plugin} "$STEWARD_PLUGIN_DIR/${plugin}"`);
    }
  }
  const backup = input.backup;
  if (backup !== undefined) {
    lines.push('', '# Backup jobs: copied as they are (no secrets in them; they read them when they run).');
    for (const copy of backup.copies) {
      lines.push(`(umask 022 && install -D -m ${copy.mode} ${copy.path} "$ROOT${copy.installTo}")`);
    }
    for (const { file, what } of backup.needs) {
      lines.push(`[ -s "$ROOT${file}" ] || echo "install.sh: the backup jobs need ${file}: ${what}" >&2`);
    }
  }
  lines.push('', 'if [ "${STEWARD_NO_RESTART:-0}" != 1 ]; then');
  for (const service of input.restart) lines.push(`  systemctl restart ${service}`);
  if (backup !== undefined && backup.timers.length > 0) {
    lines.push('  systemctl daemon-reload');
    for (const timer of backup.timers) lines.push(`  systemctl enable --now ${timer}`);
  }
  lines.push('  :', 'fi');
  if (input.extra.length > 0) lines.push('', ...input.extra);
  lines.push('');
  return lines.join('\n');
}

function dirname(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}
