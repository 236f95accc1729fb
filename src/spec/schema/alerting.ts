/**
 * The `alerting:` section: receivers (channels), the routing tree (Alertmanager's model), inhibition
 * rules, time periods and the watchdog. Cross-references (route → receiver, route → time period)
 * are checked here so errors point at the line that names the missing thing.
 */
import { z } from 'zod';
import { NOTIFY_KINDS } from '../../core/alerting-model.ts';
import { durationSchema } from './duration.ts';
import { withHint } from './message.ts';
import { nameSchema } from './names.ts';

const text = (what: string, example: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? undefined : `expected ${what} (a string)`) })
    .min(1, withHint(`${what} is empty`, `write e.g. ${example}`));

const urlSchema = (example: string) =>
  text('a URL', example).refine(
    (value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol),
    withHint('expected an http:// or https:// URL', `write e.g. ${example}`),
  );

/** label → value, or `~regex`. */
const matchSchema = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String))
  .superRefine((match, ctx) => {
    for (const [label, value] of Object.entries(match)) {
      if (!value.startsWith('~')) continue;
      try {
        new RegExp(value.slice(1));
      } catch (err) {
        ctx.addIssue({
          code: 'custom',
          path: [label],
          message: withHint(
            `\`${value.slice(1)}\` is not a regular expression: ${(err as Error).message}`,
            'fix the pattern after `~`, e.g. `~prod|staging`',
          ),
        });
      }
    }
  })
  .describe(
    'Labels an alert must have: label: value, or label: ~regex (anchored). Labels: environment, host, service, role, severity (critical|warning|info), state, kind, alertname, and the labels of hosts and checks.',
  );

const notifyOnSchema = z
  .array(
    z.enum(NOTIFY_KINDS, {
      error: (issue) =>
        withHint(
          `\`${String(issue.input)}\` is not a kind of notification`,
          `use some of: ${NOTIFY_KINDS.join(', ')}`,
        ),
    }),
  )
  .optional()
  .describe(
    "Which notifications to send (Nagios' notification_options): problem, recovery, flapping, downtime, acknowledgement. Default: all for email/slack/teams/command; problem, recovery, acknowledgement for pagerduty/opsgenie; problem, recovery for webhook.",
  );

const timeoutSchema = durationSchema().optional().describe('How long one delivery may take (default 10s).');

const emailSchema = z.strictObject({
  to: z.union([text('an address', 'ops@example.com'), z.array(text('an address', 'ops@example.com'))]),
  from: text('a sender address', 'steward@example.com'),
  host: text('the SMTP host', 'smtp.example.com'),
  port: z.number().int().min(1).max(65535).optional().describe('Default 587 (465 when secure).'),
  secure: z.boolean().optional().describe('TLS from the first byte (port 465). Default false: STARTTLS.'),
  requireTls: z
    .boolean()
    .optional()
    .describe('Refuse to send when the server does not offer STARTTLS (default true).'),
  insecure: z.boolean().optional().describe('Accept a certificate that does not verify (default false).'),
  username: z.string().optional(),
  password: z.string().optional(),
});

const receiverSchema = z
  .strictObject({
    name: nameSchema('receiver', 'ops-chat'),
    timeout: timeoutSchema,
    notifyOn: notifyOnSchema,
    email: emailSchema.optional().describe('Mail over SMTP.'),
    slack: z
      .strictObject({
        url: urlSchema('https://hooks.slack.com/services/T000/B000/XXXX'),
        channel: z.string().optional(),
      })
      .optional()
      .describe('A Slack incoming webhook.'),
    teams: z
      .strictObject({ url: urlSchema('https://example.webhook.office.com/webhookb2/...') })
      .optional()
      .describe('A Microsoft Teams incoming webhook (Adaptive Card).'),
    pagerduty: z
      .strictObject({
        routingKey: text('the integration (routing) key', `"\${PAGERDUTY_KEY}"`),
        url: urlSchema('https://events.pagerduty.com/v2/enqueue').optional(),
      })
      .optional()
      .describe('PagerDuty Events API v2: trigger and resolve with a stable dedup_key per problem.'),
    opsgenie: z
      .strictObject({
        apiKey: text('the API key', `"\${OPSGENIE_KEY}"`),
        url: urlSchema('https://api.opsgenie.com').optional(),
      })
      .optional()
      .describe('Opsgenie Alert API: create and close by alias (stable per problem).'),
    webhook: z
      .strictObject({
        url: urlSchema('https://hooks.example.com/alerts'),
        secret: z.string().optional().describe('Signs each body: X-Steward-Signature: sha256=<hex HMAC>.'),
      })
      .optional()
      .describe("A POST of Alertmanager's webhook payload (version 4)."),
    command: z
      .strictObject({
        command: text('a command', '/usr/local/bin/notify'),
        args: z.array(z.string()).optional(),
      })
      .optional()
      .describe('A program run with the notification as JSON on stdin; exit 0 means delivered.'),
  })
  .superRefine((receiver, ctx) => {
    const kinds = RECEIVER_KINDS.filter((k) => receiver[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: withHint(
          kinds.length === 0
            ? `receiver \`${receiver.name}\` has no channel`
            : `receiver \`${receiver.name}\` has ${kinds.length} channels (${kinds.join(', ')})`,
          `give it exactly one of: ${RECEIVER_KINDS.join(', ')}`,
        ),
      });
    }
  });

export const RECEIVER_KINDS = [
  'email',
  'slack',
  'teams',
  'pagerduty',
  'opsgenie',
  'webhook',
  'command',
] as const;

const groupingShape = {
  groupBy: z
    .array(z.string())
    .optional()
    .describe('Labels that split alerts into groups (one message per group); [...] = every alert alone.'),
  groupWait: durationSchema({ positive: false })
    .optional()
    .describe('How long a new group waits for more alerts before its first message (default 30s).'),
  groupInterval: durationSchema()
    .optional()
    .describe('How long a group waits before telling about changes (default 5m).'),
  repeatInterval: durationSchema()
    .optional()
    .describe('Re-notification interval of a group that still fires unchanged (default 4h).'),
  firstNotificationDelay: durationSchema({ positive: false })
    .optional()
    .describe('How long a problem must last before it notifies at all (default 0).'),
  notifyOn: notifyOnSchema.describe(
    "Which notifications this route's receiver gets (inherited by child routes); overrides the receiver's notifyOn.",
  ),
};

const escalationSchema = z
  .strictObject({
    receiver: nameSchema('receiver', 'pagerduty-prod'),
    afterNotifications: z.number().int().min(1).optional().describe('Escalate from the Nth notification on.'),
    after: durationSchema().optional().describe('Escalate a problem unacknowledged this long, e.g. 15m.'),
  })
  .refine(
    (e) => e.afterNotifications !== undefined || e.after !== undefined,
    withHint('an escalation needs `after` or `afterNotifications`', 'write e.g. `after: 15m`'),
  );

export interface RouteSpec {
  receiver?: string;
  match?: Record<string, string>;
  groupBy?: string[];
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  firstNotificationDelay?: string;
  notifyOn?: (typeof NOTIFY_KINDS)[number][];
  activeTimePeriods?: string[];
  escalations?: z.infer<typeof escalationSchema>[];
  continue?: boolean;
  routes?: RouteSpec[];
}

const routeSchema: z.ZodType<RouteSpec> = z.lazy(() =>
  z.strictObject({
    receiver: nameSchema('receiver', 'ops-chat')
      .optional()
      .describe('Where matching alerts go (default: the parent route’s).'),
    match: matchSchema.optional(),
    ...groupingShape,
    activeTimePeriods: z.array(z.string()).optional().describe('Notify only inside these time periods.'),
    escalations: z.array(escalationSchema).optional(),
    continue: z.boolean().optional().describe('Keep looking at the next sibling routes after a match.'),
    routes: z.array(routeSchema).optional(),
  }),
);

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const clock = z
  .string()
  .regex(
    /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/,
    withHint('expected a time of day HH:MM', 'write e.g. 08:00 or 24:00'),
  );

const timePeriodSchema = z.strictObject({
  name: nameSchema('time period', 'business-hours'),
  timeZone: text('a time zone', 'Europe/Berlin').refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    withHint('unknown time zone', 'write an IANA zone such as UTC, Europe/Berlin or America/New_York'),
  ),
  times: z.array(
    z.strictObject({
      days: z.array(z.enum(DAYS)).optional().describe('Days (default every day).'),
      start: clock.describe('HH:MM, inclusive'),
      end: clock.describe('HH:MM, exclusive; 24:00 for end of day'),
    }),
  ),
});

export const alertingSchema = z
  .strictObject({
    externalUrl: urlSchema('https://steward.example.com')
      .optional()
      .describe('Dashboard base URL for links.'),
    receivers: z.array(receiverSchema).describe('Where notifications go.'),
    receiver: nameSchema('receiver', 'ops-chat').optional().describe('Fallback for alerts no route matches.'),
    page: nameSchema('receiver', 'pagerduty-prod')
      .optional()
      .describe('Without `routes`: receiver of production problems (environment prod/production).'),
    chat: nameSchema('receiver', 'ops-chat')
      .optional()
      .describe('Without `routes`: receiver of everything else (lower environments, recoveries of those).'),
    ...groupingShape,
    routes: z.array(routeSchema).optional().describe('The routing tree, first match wins unless `continue`.'),
    inhibitRules: z
      .array(
        z.strictObject({
          sourceMatch: matchSchema,
          targetMatch: matchSchema,
          equal: z.array(z.string()).optional(),
        }),
      )
      .optional()
      .describe('A firing alert matching sourceMatch mutes alerts matching targetMatch with equal labels.'),
    timePeriods: z.array(timePeriodSchema).optional(),
    watchdog: z
      .strictObject({
        receiver: nameSchema('receiver', 'deadmans-switch'),
        interval: durationSchema().optional(),
      })
      .optional()
      .describe('A heartbeat sent every interval (default 1m), so silence means Steward is down.'),
  })
  .superRefine((alerting, ctx) => {
    const receivers = new Set<string>();
    alerting.receivers.forEach((r, i) => {
      if (receivers.has(r.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['receivers', i, 'name'],
          message: withHint(
            `receiver \`${r.name}\` is declared twice`,
            'receiver names are unique: rename one',
          ),
        });
      }
      receivers.add(r.name);
    });
    const periods = new Set((alerting.timePeriods ?? []).map((p) => p.name));
    const known = [...receivers].join(', ') || '(none)';
    const checkReceiver = (name: string | undefined, path: (string | number)[]) => {
      if (name !== undefined && !receivers.has(name)) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: withHint(`no receiver named \`${name}\``, `name one of: ${known}`),
        });
      }
    };
    checkReceiver(alerting.receiver, ['receiver']);
    checkReceiver(alerting.page, ['page']);
    checkReceiver(alerting.chat, ['chat']);
    checkReceiver(alerting.watchdog?.receiver, ['watchdog', 'receiver']);
    const walk = (routes: RouteSpec[], at: (string | number)[]) => {
      routes.forEach((route, i) => {
        const path = [...at, i];
        checkReceiver(route.receiver, [...path, 'receiver']);
        route.escalations?.forEach((e, j) => {
          checkReceiver(e.receiver, [...path, 'escalations', j, 'receiver']);
        });
        route.activeTimePeriods?.forEach((p, j) => {
          if (!periods.has(p)) {
            ctx.addIssue({
              code: 'custom',
              path: [...path, 'activeTimePeriods', j],
              message: withHint(`no time period named \`${p}\``, 'declare it under alerting.timePeriods'),
            });
          }
        });
        walk(route.routes ?? [], [...path, 'routes']);
      });
    };
    walk(alerting.routes ?? [], ['routes']);
  })
  .describe('Alerts and notifications: receivers, routes, grouping, inhibition, time periods, watchdog.');

export type AlertingSpec = z.infer<typeof alertingSchema>;
