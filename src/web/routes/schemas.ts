/**
 * JSON schemas of the API, declared on the routes: fastify validates requests and serialises
 * responses with them, and the OpenAPI document is generated from them.
 */
const nullableString = { type: ['string', 'null'] } as const;

export const perfdatumSchema = {
  type: 'object',
  properties: {
    label: { type: 'string' },
    value: { type: 'number' },
    uom: { type: 'string' },
    warn: { type: 'string' },
    crit: { type: 'string' },
    min: { type: 'number' },
    max: { type: 'number' },
  },
} as const;

const statusProperties = {
  id: { type: 'string' },
  environment: { type: 'string' },
  name: { type: 'string' },
  state: {
    type: 'string',
    description: 'OK/WARNING/CRITICAL/UNKNOWN for services, UP/DOWN/UNREACHABLE for hosts',
  },
  stateCode: { type: 'integer' },
  stateType: { type: 'string', enum: ['SOFT', 'HARD'] },
  attempt: { type: 'integer' },
  maxAttempts: { type: 'integer' },
  output: { type: 'string' },
  longOutput: { type: 'string' },
  perfdata: { type: 'array', items: perfdatumSchema },
  lastCheck: nullableString,
  nextCheck: nullableString,
  lastStateChange: nullableString,
  lastHardStateChange: nullableString,
  lastHardState: { type: 'string' },
  checked: { type: 'boolean' },
  flapping: { type: 'boolean' },
  percentStateChange: { type: 'number' },
  acknowledged: { type: 'boolean' },
  acknowledgement: {
    type: ['object', 'null'],
    properties: {
      type: { type: 'string' },
      author: { type: 'string' },
      comment: { type: 'string' },
      time: { type: 'string' },
    },
  },
  inDowntime: { type: 'boolean' },
  labels: { type: 'object', additionalProperties: { type: 'string' } },
  latencyMs: { type: 'number' },
  executionMs: { type: 'number' },
} as const;

export const serviceSchema = {
  type: 'object',
  properties: { ...statusProperties, host: { type: 'string' }, kind: { type: 'string' } },
} as const;

export const hostSchema = {
  type: 'object',
  properties: {
    ...statusProperties,
    address: { type: 'string' },
    roles: { type: 'array', items: { type: 'string' } },
    parents: { type: 'array', items: { type: 'string' } },
    hasCheck: { type: 'boolean' },
    services: {
      type: 'object',
      properties: {
        total: { type: 'integer' },
        ok: { type: 'integer' },
        warning: { type: 'integer' },
        critical: { type: 'integer' },
        unknown: { type: 'integer' },
      },
    },
  },
} as const;

export const eventSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    time: { type: 'string' },
    type: { type: 'string' },
    objectId: { type: 'string' },
    kind: { type: 'string' },
    host: { type: 'string' },
    service: nullableString,
    environment: { type: 'string' },
    state: { type: 'string' },
    stateType: { type: 'string' },
    attempt: { type: 'integer' },
    maxAttempts: { type: 'integer' },
    previousState: { type: 'string' },
    previousStateType: { type: 'string' },
    hard: { type: 'boolean' },
    output: { type: 'string' },
    author: { type: 'string' },
    comment: { type: 'string' },
    details: { type: 'object', additionalProperties: true },
  },
} as const;

export const downtimeSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    objectId: { type: 'string' },
    start: { type: 'string' },
    end: { type: 'string' },
    fixed: { type: 'boolean' },
    durationMs: { type: 'integer' },
    author: { type: 'string' },
    comment: { type: 'string' },
    createdAt: { type: 'string' },
    startedAt: nullableString,
    endedAt: nullableString,
    cancelled: { type: 'boolean' },
    inEffect: { type: 'boolean' },
  },
} as const;

export const commentSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    objectId: { type: 'string' },
    author: { type: 'string' },
    text: { type: 'string' },
    time: { type: 'string' },
    source: { type: 'string' },
    persistent: { type: 'boolean' },
  },
} as const;

export const errorSchema = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' }, statusCode: { type: 'integer' } },
} as const;

/** A target: a host, or one of its services. */
export const targetProperties = {
  host: { type: 'string', minLength: 1 },
  service: { type: 'string', minLength: 1, description: 'omit to address the host itself' },
} as const;
