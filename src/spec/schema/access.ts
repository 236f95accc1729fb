/**
 * `access:` how operators reach the deployment. The bastion is read by `steward synth` (where it
 * is and which port it opens) and `steward gateway` (which port it listens on).
 */
import { z } from 'zod';
import { parseDuration } from '../../core/duration.ts';
import { durationSchema } from './duration.ts';
import { instanceTypeSchema } from './instance-type.ts';
import { withHint } from './message.ts';
import { nameSchema } from './names.ts';
import { portSchema } from './network.ts';
import { publicKeySchema } from './ssh-public-key.ts';

export const bastionReportSchema = z
  .strictObject({
    url: z
      .string()
      .regex(
        /^https:\/\/[^/\s]+\/?$/,
        withHint('not an https:// URL of steward serve', 'write e.g. https://10.20.1.10:8443'),
      )
      .describe('The monitoring server (`steward serve`) the gateway ships its audit events to.'),
    tokenEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, withHint('not an environment variable name', 'e.g. STEWARD_TOKEN'))
      .optional()
      .describe(
        'The environment variable holding an API token of role audit-writer on that server (default STEWARD_TOKEN).',
      ),
    fingerprint: z
      .string()
      .regex(
        /^(sha256[:=])?([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/,
        withHint(
          'not a SHA-256 certificate fingerprint',
          'on the monitoring host: openssl x509 -in DATA/tls/cert.pem -noout -fingerprint -sha256',
        ),
      )
      .optional()
      .describe(
        "SHA-256 fingerprint of the server's certificate (the self-signed default): only it is trusted.",
      ),
    ca: z
      .string()
      .min(1)
      .optional()
      .describe("A PEM file of the CA that signed the server's certificate (instead of a fingerprint)."),
  })
  .describe(
    "Where the gateway ships its audit log, so the dashboard's audit view shows bastion events. Without fingerprint or ca the system's CAs must trust the certificate.",
  );

export const bastionSchema = z
  .strictObject({
    placement: z
      .enum(['vpc', 'datacenter'], {
        error: withHint(
          'expected `vpc` or `datacenter`',
          'write placement: vpc (an instance in the public subnet) or datacenter (the customer runs it)',
        ),
      })
      .describe(
        '`vpc`: an instance in the public subnet runs `steward gateway`; `datacenter`: the customer runs the bastion.',
      ),
    port: portSchema.describe(
      "The bastion's non-standard SSH port, open to operatorNetworks only, e.g. 2222.",
    ),
    address: z
      .string()
      .min(1, withHint('the address is empty', 'write an IP address or CIDR, e.g. 198.51.100.7'))
      .optional()
      .describe(
        "The bastion's address; for `datacenter` (required there) the address (IP or CIDR) its SSH connections come from as the VPC sees them.",
      ),
    listen: z
      .string()
      .min(1)
      .optional()
      .describe('The local address `steward gateway` binds (default 0.0.0.0; `::` for IPv6 too).'),
    instanceType: instanceTypeSchema('t3.small')
      .optional()
      .describe('EC2 instance type of a `vpc` bastion (default t3.small).'),
    name: z
      .string()
      .regex(
        /^(?!local$)[A-Za-z0-9_.@-]{1,64}$/,
        withHint(
          'not a bastion name (`local` is the monitoring server itself)',
          'use 1-64 letters, digits, `_`, `.`, `@` or `-`, e.g. bastion-1',
        ),
      )
      .optional()
      .describe("The bastion's name in the monitoring server's audit log (default: its host name)."),
    reportTo: bastionReportSchema.optional(),
  })
  .describe('The SSH bastion every operator session goes through.');

export const accessUserSchema = z
  .strictObject({
    name: nameSchema('user', 'alice').describe(
      'The login name at the bastion (`ssh alice@bastion`); also the TOTP enrolment name.',
    ),
    keys: z
      .array(publicKeySchema)
      .min(1, withHint('a user needs at least one key', 'add the line of their ~/.ssh/id_ed25519.pub'))
      .describe(
        'OpenSSH public key lines the user logs in with (then a TOTP code, enrolled with `steward access enroll`).',
      ),
    environments: z
      .array(nameSchema('environment', 'prod'))
      .describe(
        'Environments whose hosts the user may always reach; `steward access grant` adds time-bound ones.',
      ),
  })
  .describe(
    'An operator who may log in through the bastion. TOTP secrets are not here: they are enrolled into the data directory.',
  );

export const accessLimitsSchema = z
  .strictObject({
    connectionsPerMinute: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('New connections per source per minute (default 60).'),
    maxAuthTries: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Failed authentications in one connection before it is cut (default 6).'),
    loginGrace: durationSchema()
      .optional()
      .describe('Time to log in before the connection is cut (default 60s).'),
    userFailures: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Failed logins of one user (any source) before a temporary ban (default 5).'),
    sourceFailures: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Failed logins from one address before a temporary ban (default 20).'),
    failureWindow: durationSchema().optional().describe('The window failures are counted in (default 10m).'),
    banFor: durationSchema().optional().describe('How long a ban lasts (default 15m).'),
  })
  .describe('Rate limits and temporary bans of the gateway.');

// ---- access.dashboard: sessions and sign-in limits of the HTTPS dashboard (src/web) ----

export const dashboardLoginLockoutSchema = z
  .strictObject({
    userFailures: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Failed sign-ins in a row after which the account is locked (default 5).'),
    lockFor: durationSchema().optional().describe('How long a locked account stays locked (default 15m).'),
    sourceFailures: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Failed sign-ins from one address within failureWindow before it is refused (default 20).'),
    failureWindow: durationSchema()
      .optional()
      .describe('The window failures from one address are counted in (default 15m).'),
  })
  .describe('Sign-in lockout and rate limit of the dashboard.');

export const dashboardAccessSchema = z
  .strictObject({
    sessionIdle: durationSchema().optional().describe('A session unused this long ends (default 30m).'),
    sessionMax: durationSchema()
      .optional()
      .describe('A session ends this long after sign-in, used or not (default 12h).'),
    loginLockout: dashboardLoginLockoutSchema.optional(),
    totp: z
      .literal('required', {
        error: withHint(
          'the dashboard always requires a TOTP second factor',
          'remove `totp` (or write totp: required); a lost authenticator is reset with `steward user totp-reset NAME`',
        ),
      })
      .optional()
      .describe('Always `required`: the second factor cannot be turned off.'),
  })
  .superRefine((d, ctx) => {
    const idle = d.sessionIdle === undefined ? undefined : parseDuration(d.sessionIdle);
    const max = d.sessionMax === undefined ? undefined : parseDuration(d.sessionMax);
    if (idle != null && max != null && idle > max) {
      ctx.addIssue({
        code: 'custom',
        path: ['sessionIdle'],
        message: withHint(
          `sessionIdle (${d.sessionIdle}) is longer than sessionMax (${d.sessionMax})`,
          'make sessionIdle at most sessionMax, e.g. sessionIdle: 30m, sessionMax: 12h',
        ),
      });
    }
  })
  .describe('Sessions and sign-in limits of the HTTPS dashboard; applied again on reload.');

export const accessSchema = z
  .strictObject({
    bastion: bastionSchema.optional(),
    users: z
      .array(accessUserSchema)
      .optional()
      .describe('The operators and the environments they may reach.'),
    limits: accessLimitsSchema.optional(),
    dashboard: dashboardAccessSchema.optional(),
  })
  .describe('How operators reach the hosts: the bastion, its users and their environments.');

export type BastionSpec = z.infer<typeof bastionSchema>;
export type AccessSpec = z.infer<typeof accessSchema>;
export type AccessUserSpec = z.infer<typeof accessUserSchema>;
export type AccessLimitsSpec = z.infer<typeof accessLimitsSchema>;
export type DashboardAccessSpec = z.infer<typeof dashboardAccessSchema>;
