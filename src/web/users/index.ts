// Dashboard users: scrypt passwords, TOTP + recovery codes, lockout, roles per environment.
export { DEFAULT_LOGIN_POLICY, type LoginOutcome, type LoginPolicy, LoginService } from './login.ts';
export { hashPassword, passwordProblem, verifyPassword } from './password.ts';
export { generateRecoveryCodes, hashRecoveryCode } from './recovery-codes.ts';
export { isAdmin, mayIn, parseRoles, type Role, roleIn } from './roles.ts';
export { addUser, resetTotp, setPassword } from './user-admin.ts';
