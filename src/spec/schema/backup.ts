/**
 * `backup:` restic repositories and the jobs that back up files and databases into them, with
 * their schedules, retention and recovery targets. Passwords are never written here: a repository
 * names the environment variable or file that holds its password.
 */
import { z } from 'zod';
import { cronProblem } from '../../backup/cron.ts';
import { durationSchema } from './duration.ts';
import { withHint } from './message.ts';
import { nameSchema } from './names.ts';
import { portSchema } from './network.ts';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const envNameSchema = z
  .string()
  .regex(
    ENV_NAME,
    withHint(
      'expected the name of an environment variable, not its value',
      'write e.g. RESTIC_PASSWORD_PROD and export the password in that variable',
    ),
  );

const nonEmpty = (what: string, example: string) =>
  z.string().min(1, withHint(`the ${what} is empty`, `write ${example}`));

export const resticRepositorySchema = z
  .strictObject({
    repository: nonEmpty(
      'repository',
      'a path, s3:https://host/bucket/path, sftp:user@host:/path or rest:https://...',
    ).describe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${ENV} syntax, shown to users
      "restic's repository URL: a local path, s3:..., sftp:..., rest:... (a password in it only as ${NAME}, from the environment).",
    ),
    passwordEnv: envNameSchema
      .optional()
      .describe('The environment variable holding the repository password.'),
    passwordFile: nonEmpty('password file', '/etc/steward/restic-prod.pass')
      .optional()
      .describe('A file holding the repository password (alternative to passwordEnv).'),
    options: z
      .record(
        z
          .string()
          .regex(
            /^[a-z0-9]+\.[A-Za-z0-9._-]+$/,
            withHint('expected a restic option name', 'write e.g. sftp.command or s3.region'),
          ),
        z.string(),
      )
      .optional()
      .describe(
        "restic's extended options (-o), e.g. { sftp.command: 'ssh -p 2222 backup@vault -s sftp', s3.region: eu-west-1 }.",
      ),
    caCert: nonEmpty('CA certificate file', '/etc/steward/s3-ca.pem')
      .optional()
      .describe(
        "A CA certificate (PEM file) to verify the repository server's TLS certificate with (restic --cacert).",
      ),
    limitUpload: z.number().int().positive().optional().describe('Upload limit in KiB/s.'),
    limitDownload: z.number().int().positive().optional().describe('Download limit in KiB/s.'),
  })
  .refine((r) => (r.passwordEnv === undefined) !== (r.passwordFile === undefined), {
    message: withHint(
      'a restic repository needs exactly one of passwordEnv and passwordFile',
      'write passwordEnv: RESTIC_PASSWORD (the variable that holds the password) or passwordFile: /path',
    ),
  })
  .describe('A restic repository (encrypted, deduplicating).');

export const backupRepositorySchema = z
  .strictObject({
    name: nameSchema('repository', 'offsite'),
    restic: resticRepositorySchema,
  })
  .describe('A backup repository.');

const filesSourceSchema = z
  .strictObject({
    paths: z
      .array(nonEmpty('path', 'an absolute path such as /opt/wso2/repository/conf'))
      .min(1, withHint('no paths to back up', 'list at least one path'))
      .describe('Files and directories to back up.'),
    exclude: z.array(z.string().min(1)).optional().describe('restic exclude patterns.'),
  })
  .describe('Files and directories on a host.');

const databaseSourceSchema = (kind: string, defaultPort: number) =>
  z
    .strictObject({
      host: nonEmpty('database host', 'db.internal or 127.0.0.1')
        .optional()
        .describe('Database server (default 127.0.0.1).'),
      port: portSchema.optional().describe(`Database port (default ${defaultPort}).`),
      database: nameSchema('database', 'apim_db').describe('The database to dump.'),
      user: nonEmpty('user', 'backup').describe('The user the dump connects as.'),
      passwordEnv: envNameSchema
        .optional()
        .describe('The environment variable holding the database password.'),
    })
    .describe(`A ${kind} database, dumped logically and streamed into the repository.`);

const cronSchema = z
  .string()
  .describe('A cron schedule: minute hour day-of-month month day-of-week, or @daily, @hourly ...');

export const backupJobSchema = z
  .strictObject({
    name: nameSchema('backup job', 'apim-db'),
    repository: nameSchema('repository', 'offsite').describe(
      'The repository (by name) the job backs up into.',
    ),
    host: nameSchema('host', 'apim-1')
      .optional()
      .describe(
        'The host the data lives on; its services are attached there (default: the backup pseudo-host).',
      ),
    runOn: z
      .enum(['steward', 'host'])
      .optional()
      .describe(
        '`steward`: `steward serve` runs the job; `host`: a systemd timer rendered for the host runs it (default: host for files jobs with a host, else steward).',
      ),
    files: filesSourceSchema.optional(),
    postgres: databaseSourceSchema('PostgreSQL', 5432).optional(),
    mysql: databaseSourceSchema('MySQL/MariaDB', 3306).optional(),
    schedule: cronSchema,
    timeZone: z.string().optional().describe('IANA time zone of the schedules (default UTC).'),
    drillSchedule: cronSchema.optional().describe('When to run the restore drill (default: only on demand).'),
    checkSchedule: cronSchema.optional().describe('When to run `restic check` (default: only on demand).'),
    keepHourly: z.number().int().nonnegative().optional(),
    keepDaily: z.number().int().nonnegative().optional(),
    keepWeekly: z.number().int().nonnegative().optional(),
    keepMonthly: z.number().int().nonnegative().optional(),
    keepYearly: z.number().int().nonnegative().optional(),
    rpoTarget: durationSchema()
      .optional()
      .describe('Recovery point objective: the most data (age) a restore may lose.'),
    rtoTarget: durationSchema()
      .optional()
      .describe('Recovery time objective: the longest a restore may take.'),
  })
  .superRefine((job, ctx) => {
    const kinds = (['files', 'postgres', 'mysql'] as const).filter((k) => job[k] !== undefined);
    if (kinds.length !== 1)
      ctx.addIssue({
        code: 'custom',
        message: withHint(
          kinds.length === 0
            ? 'a backup job needs a source'
            : `a backup job has one source, not ${kinds.join(' and ')}`,
          'write one of files: { paths: [...] }, postgres: { database, user } or mysql: { database, user }',
        ),
      });
    if (job.runOn === 'host' && job.host === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['runOn'],
        message: withHint(
          'runOn: host needs the host that runs the job',
          'add host: <the host whose files these are>; steward render host HOST then writes its timer',
        ),
      });
    if (job.runOn === 'host' && job.files === undefined && kinds.length === 1)
      ctx.addIssue({
        code: 'custom',
        path: ['runOn'],
        message: withHint(
          `runOn: host is for files jobs; a ${kinds[0]} dump is run by steward serve over the network`,
          'remove runOn (or write runOn: steward) and point the job at the database host and port',
        ),
      });
    for (const key of ['schedule', 'drillSchedule', 'checkSchedule'] as const) {
      const text = job[key];
      if (text === undefined) continue;
      const problem = cronProblem(text, job.timeZone ?? 'UTC');
      if (problem !== null)
        ctx.addIssue({
          code: 'custom',
          path: [problem.includes('time zone') ? 'timeZone' : key],
          message: withHint(
            problem,
            'write e.g. "30 2 * * *" (02:30 every day) with timeZone: Europe/Amsterdam',
          ),
        });
    }
  })
  .describe('A backup job: one source, its repository, schedule, retention and recovery targets.');

export const backupSchema = z
  .strictObject({
    host: nameSchema('host', 'backup')
      .optional()
      .describe('The pseudo-host carrying the services of jobs without a host (default `backup`).'),
    repositories: z.array(backupRepositorySchema).describe('Backup repositories.'),
    jobs: z.array(backupJobSchema).optional().describe('Backup jobs.'),
    bucket: z
      .strictObject({
        name: z
          .string()
          .min(1)
          .optional()
          .describe(
            'Bucket name prefix; each environment gets <name>-<environment> (default: generated by CloudFormation).',
          ),
        retentionDays: z
          .number()
          .int(withHint('a whole number of days', 'write e.g. 90'))
          .min(1, withHint('keep backups at least a day', 'write e.g. 90'))
          .optional()
          .describe('Days backups (and their old versions) are kept in the bucket (default 90).'),
      })
      .optional()
      .describe(
        'The S3 backup bucket `steward synth` creates in each environment (encrypted, versioned, TLS only).',
      ),
  })
  .superRefine((backup, ctx) => {
    const repositories = new Set<string>();
    backup.repositories.forEach((r, i) => {
      if (repositories.has(r.name))
        ctx.addIssue({
          code: 'custom',
          path: ['repositories', i, 'name'],
          message: withHint(`repository "${r.name}" is defined twice`, 'give each repository its own name'),
        });
      repositories.add(r.name);
    });
    const jobs = new Set<string>();
    (backup.jobs ?? []).forEach((job, i) => {
      if (jobs.has(job.name))
        ctx.addIssue({
          code: 'custom',
          path: ['jobs', i, 'name'],
          message: withHint(`backup job "${job.name}" is defined twice`, 'give each job its own name'),
        });
      jobs.add(job.name);
      if (!repositories.has(job.repository))
        ctx.addIssue({
          code: 'custom',
          path: ['jobs', i, 'repository'],
          message: withHint(
            `repository "${job.repository}" is not defined`,
            `define it under backup.repositories, or use one of: ${[...repositories].join(', ') || '(none yet)'}`,
          ),
        });
    });
  })
  .describe('Backups (restic) and their restore drills.');

export type BackupSpec = z.infer<typeof backupSchema>;
export type BackupJobSpec = z.infer<typeof backupJobSchema>;
