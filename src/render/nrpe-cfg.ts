/** One command[NAME] line, as the spec's nrpe and jvm checks need it. */
export interface NrpeCommand {
  name: string;
  /** Absolute path on the host, or ${STEWARD_PLUGIN_DIR}/... for plugins Steward ships. */
  plugin: string;
  args: string[];
  /** Which checks need it (for the comment). */
  usedBy: string[];
}

export interface NrpeCfgInput {
  host: string;
  specFile: string;
  port: number;
  /** The address checks connect to: the daemon listens there only (all addresses when empty). */
  listenAddress: string;
  monitoringSubnet: string;
  commands: NrpeCommand[];
  /** Some command takes $ARGn$ over the wire (a check has sendArgs). */
  dontBlameNrpe: boolean;
}

/** nrpe runs a command line through /bin/sh: each argument is quoted unless plainly safe. */
function shellWord(text: string): string {
  if (/^\$ARG\d+\$$/.test(text)) return text;
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

/**
 * nrpe.cfg: the daemon answers the monitoring subnet only, and defines exactly the commands the
 * spec's checks of this host ask for, arguments fixed here (nothing over the wire) unless a
 * check says sendArgs.
 */
export function renderNrpeCfg(input: NrpeCfgInput): string {
  const lines = [
    `# nrpe.cfg for ${input.host}, rendered by \`steward render host\` from ${input.specFile}.`,
    "# Re-render rather than edit. TLS: nrpe's default (anonymous DH) unless the daemon runs with -n.",
    'log_facility=daemon',
    'debug=0',
    'pid_file=/run/nagios/nrpe.pid',
    ...(input.listenAddress === '' ? [] : [`server_address=${input.listenAddress}`]),
    `server_port=${input.port}`,
    'nrpe_user=nagios',
    'nrpe_group=nagios',
    `allowed_hosts=${input.monitoringSubnet}`,
    `dont_blame_nrpe=${input.dontBlameNrpe ? 1 : 0}`,
    'allow_bash_command_substitution=0',
    'command_timeout=60',
    'connection_timeout=300',
    '',
  ];
  for (const command of input.commands) {
    lines.push(`# ${command.usedBy.join(', ')}`);
    if (command.plugin.includes('check_jvm_jstat')) {
      lines.push(
        "# jstat must run as the JVM's user: if it is not nagios, prefix the line with sudo -n -u <user>",
      );
      lines.push('# (and allow it in /etc/sudoers.d for nagios).');
    }
    lines.push(`command[${command.name}]=${[command.plugin, ...command.args].map(shellWord).join(' ')}`);
  }
  lines.push('');
  return lines.join('\n');
}
