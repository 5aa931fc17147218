/** Roles a user holds per project, weakest first. */
export const ROLES = ['viewer', 'member', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a request may do. `read` covers every query; `write` adds alert rules,
 * silences, scores and MLflow tracking runs; `admin` adds keys, users, prices,
 * budgets, privacy policy, erasure, audit and exports.
 */
export type Permission = 'read' | 'write' | 'admin';

const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = Object.freeze({
  viewer: ['read'],
  member: ['read', 'write'],
  admin: ['read', 'write', 'admin'],
});

export function permissionsOf(role: Role): readonly Permission[] {
  return ROLE_PERMISSIONS[role];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The weakest role that holds `permission`. */
export function minimumRoleFor(permission: Permission): Role {
  return ROLES.find((role) => ROLE_PERMISSIONS[role].includes(permission))!;
}
