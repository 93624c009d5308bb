/** The four roles, lowest first; each may do everything the ones before it may (as the API enforces). */
export const ROLES = ['viewer', 'responder', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a person may do in the console: the web hides what the API would refuse. */
export type Capability = 'respond' | 'approve' | 'administer';

const NEEDS: Record<Capability, Role> = { respond: 'responder', approve: 'approver', administer: 'admin' };

/** The highest known role among a token's role claim values (a string, or Cognito's array of groups). */
export function highestRole(claim: unknown): Role | null {
  const values = (Array.isArray(claim) ? claim : [claim]).filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase());
  let best = -1;
  for (const value of values) best = Math.max(best, ROLES.indexOf(value as Role));
  return best >= 0 ? ROLES[best] : null;
}

export function can(role: Role | null | undefined, capability: Capability): boolean {
  return role != null && ROLES.indexOf(role) >= ROLES.indexOf(NEEDS[capability]);
}
