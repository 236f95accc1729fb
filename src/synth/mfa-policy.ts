/**
 * The classic "force MFA" policy (AWS IAM docs: "allows MFA-authenticated IAM users to manage
 * their own MFA device"): without aws:MultiFactorAuthPresent everything is denied except what a
 * user needs to sign in, change the initial password and enrol their own MFA device. The ARNs are
 * built by the caller (partition and account are stack tokens).
 */

/** IAM's policy variable for the signed-in user's name (resolved by IAM, not by JavaScript or CloudFormation). */
// biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template placeholder
export const IAM_USERNAME_VARIABLE = '${aws:username}';

/** What a user may do before enrolling MFA: exactly what enrolment needs. */
export const ACTIONS_ALLOWED_WITHOUT_MFA = [
  'iam:CreateVirtualMFADevice',
  'iam:EnableMFADevice',
  'iam:GetUser',
  'iam:GetMFADevice',
  'iam:ChangePassword',
  'iam:ListMFADevices',
  'iam:ListVirtualMFADevices',
  'iam:ResyncMFADevice',
  'sts:GetSessionToken',
];

export interface MfaPolicyArns {
  /** arn:<partition>:iam::<account>:user/${aws:username} */
  ownUser: string;
  /** arn:<partition>:iam::<account>:mfa/* */
  mfaDevices: string;
}

export interface PolicyStatementJson {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action?: string[];
  NotAction?: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}

export function mfaPolicyStatements(arns: MfaPolicyArns): PolicyStatementJson[] {
  return [
    {
      Sid: 'AllowViewAccountInfo',
      Effect: 'Allow',
      Action: ['iam:GetAccountPasswordPolicy', 'iam:ListVirtualMFADevices'],
      Resource: '*',
    },
    {
      Sid: 'AllowManageOwnPasswords',
      Effect: 'Allow',
      Action: ['iam:ChangePassword', 'iam:GetUser'],
      Resource: arns.ownUser,
    },
    {
      Sid: 'AllowManageOwnVirtualMFADevice',
      Effect: 'Allow',
      Action: ['iam:CreateVirtualMFADevice'],
      Resource: arns.mfaDevices,
    },
    {
      Sid: 'AllowManageOwnUserMFA',
      Effect: 'Allow',
      Action: [
        'iam:DeactivateMFADevice',
        'iam:EnableMFADevice',
        'iam:GetMFADevice',
        'iam:ListMFADevices',
        'iam:ResyncMFADevice',
      ],
      Resource: arns.ownUser,
    },
    {
      Sid: 'DenyAllExceptListedIfNoMFA',
      Effect: 'Deny',
      NotAction: ACTIONS_ALLOWED_WITHOUT_MFA,
      Resource: '*',
      // BoolIfExists: long-lived access keys carry no MFA key at all, and are denied too.
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    },
  ];
}
