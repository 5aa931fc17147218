import { keyAttributionProblem, type KeyAttribution } from '../enrich/key-attribution.ts';
import { InvalidRequestError, NotFoundError } from '../errors.ts';
import type { ApiToken, AuthStore, IngestKey, UserAccount } from '../store/auth-store.ts';
import { hashPassword, passwordProblem } from './password-hash.ts';
import type { Role } from './permissions.ts';
import { DEFAULT_PROJECT_ID } from './request-scope.ts';
import { API_TOKEN_PREFIX, INGEST_KEY_PREFIX, createSecret, randomId } from './secrets.ts';

const PROJECT_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

export interface NewIngestKey {
  projectId: string;
  name: string;
  ratePerSecond?: number | null;
  maxBodyBytes?: number | null;
  attribution?: KeyAttribution;
}

export interface NewUser {
  username: string;
  password: string;
  projectId: string;
  role: Role;
  canReadContent: boolean;
}

/** A created secret with the one copy of its clear text. */
export type Created<T> = { record: T; secret: string };

/** Project, key, user and token management shared by the CLI and the REST API. */
export class AuthAdmin {
  constructor(
    private readonly store: AuthStore,
    private readonly now: () => number,
  ) {}

  /** Creates the default project when it is missing, so keys and users have a home. */
  async ensureDefaultProject(): Promise<void> {
    if ((await this.store.getProject(DEFAULT_PROJECT_ID)) === null)
      await this.store.createProject({
        id: DEFAULT_PROJECT_ID,
        name: 'Default',
        createdAtUnixMs: this.now(),
      });
  }

  async createProject(id: string, name: string): Promise<void> {
    if (!PROJECT_ID.test(id))
      throw new InvalidRequestError(
        `project id "${id}" is invalid; use 1 to 63 lower-case letters, digits, "-" or "_"`,
      );
    if ((await this.store.getProject(id)) !== null)
      throw new InvalidRequestError(`project "${id}" already exists; choose another id`);
    await this.store.createProject({
      id,
      name: name.trim() === '' ? id : name,
      createdAtUnixMs: this.now(),
    });
  }

  async createIngestKey(input: NewIngestKey): Promise<Created<IngestKey>> {
    await this.requireProject(input.projectId);
    const attribution = input.attribution ?? {};
    const problem = keyAttributionProblem(attribution);
    if (problem !== null) throw new InvalidRequestError(problem);
    const secret = createSecret(INGEST_KEY_PREFIX);
    const record: IngestKey = {
      id: randomId(8),
      projectId: input.projectId,
      name: input.name,
      prefix: secret.prefix,
      secretSha256: secret.secretSha256,
      createdAtUnixMs: this.now(),
      revokedAtUnixMs: null,
      ratePerSecond: input.ratePerSecond ?? null,
      maxBodyBytes: input.maxBodyBytes ?? null,
      attribution,
    };
    await this.store.createIngestKey(record);
    return { record, secret: secret.secret };
  }

  async createUser(input: NewUser): Promise<UserAccount> {
    if (!USERNAME.test(input.username))
      throw new InvalidRequestError(
        `user name "${input.username}" is invalid; use letters, digits, ".", "_", "@" or "-"`,
      );
    const problem = passwordProblem(input.password);
    if (problem !== null) throw new InvalidRequestError(problem);
    await this.requireProject(input.projectId);
    if ((await this.store.findUserByName(input.username)) !== null)
      throw new InvalidRequestError(
        `user "${input.username}" already exists; use "grant" to change their role`,
      );
    const user: UserAccount = {
      id: randomId(8),
      username: input.username,
      passwordHash: await hashPassword(input.password),
      createdAtUnixMs: this.now(),
    };
    await this.store.createUser(user);
    await this.grant(input.username, input.projectId, input.role, input.canReadContent);
    return user;
  }

  /** Gives a user a role in a project, replacing any earlier one there. */
  async grant(
    username: string,
    projectId: string,
    role: Role,
    canReadContent: boolean,
  ): Promise<void> {
    const user = await this.requireUser(username);
    await this.requireProject(projectId);
    await this.store.setMembership({ userId: user.id, projectId, role, canReadContent });
  }

  async setPassword(username: string, password: string): Promise<void> {
    const problem = passwordProblem(password);
    if (problem !== null) throw new InvalidRequestError(problem);
    const user = await this.requireUser(username);
    await this.store.setPasswordHash(user.id, await hashPassword(password));
  }

  async createApiToken(
    username: string,
    projectId: string,
    name: string,
    expiresAtUnixMs: number | null,
  ): Promise<Created<ApiToken>> {
    const user = await this.requireUser(username);
    const memberships = await this.store.membershipsOf(user.id);
    if (!memberships.some((entry) => entry.projectId === projectId))
      throw new InvalidRequestError(
        `user "${username}" has no role in project "${projectId}"; grant one first`,
      );
    const secret = createSecret(API_TOKEN_PREFIX);
    const record: ApiToken = {
      id: randomId(8),
      userId: user.id,
      projectId,
      name,
      prefix: secret.prefix,
      secretSha256: secret.secretSha256,
      createdAtUnixMs: this.now(),
      revokedAtUnixMs: null,
      expiresAtUnixMs,
    };
    await this.store.createApiToken(record);
    return { record, secret: secret.secret };
  }

  async requireUser(username: string): Promise<UserAccount> {
    const user = await this.store.findUserByName(username);
    if (user === null)
      throw new NotFoundError(
        `user "${username}" was not found; list users with "foghorn users list"`,
      );
    return user;
  }

  private async requireProject(projectId: string): Promise<void> {
    if ((await this.store.getProject(projectId)) === null)
      throw new NotFoundError(
        `project "${projectId}" was not found; create it with "foghorn projects create"`,
      );
  }
}
