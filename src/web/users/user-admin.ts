import type { Store, UserRecord } from '../../store/types.ts';
import { audit } from '../audit/audit-log.ts';
import { hashPassword, passwordProblem } from './password.ts';
import type { Role } from './roles.ts';

const NAME = /^[A-Za-z0-9_.@-]{1,64}$/;

/** Creates a user; TOTP enrolment happens at the first login (QR code + recovery codes). */
export async function addUser(
  store: Store,
  name: string,
  password: string,
  roles: Record<string, Role>,
  by = 'cli',
): Promise<UserRecord> {
  if (!NAME.test(name))
    throw new Error(`user name "${name}" is not allowed: use 1-64 letters, digits, _ . @ -`);
  const problem = passwordProblem(password);
  if (problem) throw new Error(problem);
  const user = store.addUser({ name, passwordHash: await hashPassword(password), roles });
  audit(store, { actor: by, action: 'user_add', target: name, outcome: 'ok', ip: '-', details: { roles } });
  return user;
}

export async function setPassword(store: Store, name: string, password: string, by = 'cli'): Promise<void> {
  const user = store.getUser(name);
  if (!user) throw new Error(`no user "${name}" (steward user list shows them)`);
  const problem = passwordProblem(password);
  if (problem) throw new Error(problem);
  store.updateUser(name, { passwordHash: await hashPassword(password), failedLogins: 0, lockedUntil: null });
  // A new password ends every session the old one opened.
  store.deleteUserSessions(user.id);
  audit(store, { actor: by, action: 'user_passwd', target: name, outcome: 'ok', ip: '-' });
}

/** Forgets the TOTP secret and recovery codes: the next login enrols again. */
export function resetTotp(store: Store, name: string, by = 'cli'): void {
  const user = store.getUser(name);
  if (!user) throw new Error(`no user "${name}" (steward user list shows them)`);
  store.updateUser(name, { totpSecret: null, totpConfirmed: false, totpLastStep: -1, recoveryCodes: [] });
  store.deleteUserSessions(user.id);
  audit(store, { actor: by, action: 'user_totp_reset', target: name, outcome: 'ok', ip: '-' });
}
