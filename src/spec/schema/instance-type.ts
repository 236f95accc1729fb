import { z } from 'zod';
import { withHint } from './message.ts';

/** An EC2 instance type (family.size), as `steward synth` passes it to CloudFormation. */
export function instanceTypeSchema(example: string) {
  return z
    .string({
      error: (issue) => (issue.input === undefined ? undefined : 'expected an EC2 instance type (a string)'),
    })
    .regex(
      /^[a-z][a-z0-9-]*\.[a-z0-9]+$/,
      withHint('not an EC2 instance type (family.size)', `write e.g. ${example}`),
    );
}
