import { FoghornError } from '../errors.ts';
import { DEFAULT_PROJECT_ID, type RequestScope } from './request-scope.ts';

/**
 * Returns whether a request may change instance-wide settings, such as the price
 * overrides and the Azure deployment mapping. Only an admin of the `default` project
 * may, and with auth off every request is the local operator, who may too.
 */
export function isInstanceAdmin(scope: RequestScope): boolean {
  return scope.projectId === DEFAULT_PROJECT_ID && scope.permissions.includes('admin');
}

/**
 * Throws a 403 `PERMISSION_DENIED` naming `setting` and the denied `action` unless the request
 * is an instance admin.
 */
export function assertInstanceAdmin(
  scope: RequestScope,
  setting: string,
  action: 'read' | 'change' = 'change',
): void {
  if (isInstanceAdmin(scope)) return;
  throw new FoghornError(
    'PERMISSION_DENIED',
    `${setting} apply to every project, so only an admin of project "${DEFAULT_PROJECT_ID}" may ${action} them; ${scope.principal} is ${scope.role ?? 'no user'} in project "${scope.projectId}"`,
    403,
  );
}
