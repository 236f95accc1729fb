/**
 * `aws:` the account-level part of the AWS blueprint (`steward synth`): IAM users for the
 * provider's operators and the CI identity that may deploy without long-lived keys.
 */
import { z } from 'zod';
import { withHint } from './message.ts';

export const awsSchema = z
  .strictObject({
    operators: z
      .array(
        z.strictObject({
          name: z
            .string()
            .regex(
              /^[\w+=,.@-]{1,64}$/,
              withHint('not a valid IAM user name', 'use letters, digits and +=,.@_- (at most 64)'),
            )
            .describe('The IAM user name.'),
        }),
      )
      .optional()
      .describe("IAM users (MFA enforced) for the provider's operators; default: the names in access.users."),
    ci: z
      .strictObject({
        issuer: z
          .string()
          .min(1)
          .describe('OIDC issuer without scheme, e.g. token.actions.githubusercontent.com.'),
        subjects: z
          .array(z.string().min(1))
          .min(
            1,
            withHint('no subject', 'list who may assume the role, e.g. repo:acme/infra:ref:refs/heads/main'),
          )
          .describe('Token subjects allowed to assume the automation role (wildcards * allowed).'),
        audience: z.string().min(1).optional().describe('Token audience (default sts.amazonaws.com).'),
      })
      .optional()
      .describe('Lets CI assume the automation role through OIDC instead of holding access keys.'),
  })
  .describe('Account-level AWS settings of the blueprint: operator IAM users and CI.');

export type AwsSpec = z.infer<typeof awsSchema>;
