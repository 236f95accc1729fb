import { readFileSync } from 'node:fs';

const COMMANDS: Record<
  string,
  { summary: string; load: () => Promise<(args: string[]) => Promise<number>> }
> = {
  serve: {
    summary: 'run the monitoring engine, store and HTTPS API',
    load: async () => (await import('./serve.ts')).serveCommand,
  },
  validate: {
    summary: 'check a spec; errors name file:line:column',
    load: async () => (await import('./validate.ts')).validateCommand,
  },
  status: {
    summary: 'print current problems (or --all) from the data directory',
    load: async () => (await import('./status.ts')).statusCommand,
  },
  check: {
    summary: 'run one check now and print its result (HOST or HOST/SERVICE)',
    load: async () => (await import('./check.ts')).checkCommand,
  },
  token: {
    summary: 'create, list and revoke API tokens',
    load: async () => (await import('./token.ts')).tokenCommand,
  },
  silence: {
    summary: 'add, list and expire alert silences',
    load: async () => (await import('./silence.ts')).silenceCommand,
  },
  notify: {
    summary: 'send a test notification to a receiver and print its answer',
    load: async () => (await import('./notify.ts')).notifyCommand,
  },
  reload: {
    summary: 'make a running server re-read its spec',
    load: async () => (await import('./reload.ts')).reloadCommand,
  },
  gateway: {
    summary: 'run the SSH bastion (key + TOTP, per-environment jumps, audited)',
    load: async () => (await import('./gateway.ts')).gatewayCommand,
  },
  access: {
    summary: 'bastion access: grant, revoke, grants, ssh-config, enroll',
    load: async () => (await import('./access.ts')).accessCommand,
  },
  user: {
    summary: 'add dashboard users, change passwords, reset TOTP',
    load: async () => (await import('./user.ts')).userCommand,
  },
  report: {
    summary: 'availability report of an environment over a period (CSV, HTML, PDF)',
    load: async () => (await import('./report.ts')).reportCommand,
  },
  backup: {
    summary: 'run, list, restore, forget, check and drill backups (restic)',
    load: async () => (await import('./backup.ts')).backupCommand,
  },
  synth: {
    summary: 'build the AWS blueprint (CloudFormation, offline) of a spec',
    load: async () => (await import('./synth.ts')).synthCommand,
  },
  render: {
    summary: "write a host's agent configs (snmpd.conf, nrpe.cfg, install.sh) from a spec",
    load: async () => (await import('./render.ts')).renderCommand,
  },
  diagram: {
    summary: "draw the deployment's architecture (SVG) from a spec",
    load: async () => (await import('./diagram.ts')).diagramCommand,
  },
};

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: steward <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "steward <command> --help" for a command's options.\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(usage());
    return command ? 0 : 2;
  }
  if (command === '--version' || command === 'version') {
    process.stdout.write(`steward ${version()}\n`);
    return 0;
  }
  const entry = COMMANDS[command];
  if (!entry) {
    process.stderr.write(`steward: unknown command "${command}"\n\n${usage()}`);
    return 2;
  }
  try {
    const run = await entry.load();
    return await run(rest);
  } catch (err) {
    process.stderr.write(`steward ${command}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
