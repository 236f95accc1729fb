import { z } from 'zod';
import { SERVICE_STATE_NAMES } from '../../core/states.ts';
import { withHint } from './message.ts';

export const serviceStateSchema = z.enum(SERVICE_STATE_NAMES, {
  error: withHint(
    'expected a service state: OK, WARNING, CRITICAL or UNKNOWN',
    'write the state in capitals, e.g. CRITICAL',
  ),
});
