import { createHmac, randomBytes } from 'node:crypto';
import type { AuthStore, Session, UserAccount } from '../store/auth-store.ts';
import { AuthFailure, retryAfterSeconds } from './auth-failure.ts';
import type { AuthSettings } from './auth-settings.ts';
import type { PresentedCredentials } from './credentials.ts';
import type { PasswordLogin } from './password-login.ts';
import { permissionsOf } from './permissions.ts';
import type { RequestScope } from './request-scope.ts';
import { API_TOKEN_PREFIX, sha256Hex } from './secrets.ts';
import { TokenBuckets } from './token-bucket.ts';

/** How a user proved who they are. */
export type UserProof = 'session' | 'token' | 'basic';

export interface UserIdentity {
  scope: RequestScope;
  proof: UserProof;
  /** Set when the proof is a session cookie. */
  session: Session | null;
}

export interface IngestIdentity {
  scope: RequestScope;
  /** Largest body this key may send, in bytes; null for the server limit. */
  maxBodyBytes: number | null;
}

const MISSING_INGEST_KEY =
  'missing or invalid ingest key; send "Authorization: Bearer <key>" or "x-foghorn-key: <key>" (OTEL_EXPORTER_OTLP_HEADERS), created with "foghorn keys create"';

/** Turns presented credentials into a request scope, or throws an AuthFailure. */
export class Authenticator {
  private readonly buckets: TokenBuckets;
  private readonly basicCacheKey = randomBytes(32);
  private readonly basicCache = new Map<string, { userId: string; expiresAtUnixMs: number }>();

  constructor(
    private readonly store: AuthStore,
    private readonly passwords: PasswordLogin,
    private readonly settings: AuthSettings,
    private readonly now: () => number,
  ) {
    this.buckets = new TokenBuckets(now);
  }

  /** Checks an ingest key and takes a token from its rate-limit bucket. */
  async ingest(credentials: PresentedCredentials): Promise<IngestIdentity> {
    const secret = credentials.headerKey ?? credentials.bearer;
    const key = secret === null ? null : await this.store.findIngestKey(sha256Hex(secret));
    if (key === null || key.revokedAtUnixMs !== null)
      throw new AuthFailure('unauthenticated', MISSING_INGEST_KEY);
    this.limit(
      `key:${key.id}`,
      key.ratePerSecond ?? this.settings.ingestRatePerSecond,
      this.settings.ingestBurst,
    );
    const scope: RequestScope = {
      projectId: key.projectId,
      principal: `key:${key.id}`,
      userId: null,
      role: null,
      permissions: [],
      canReadContent: false,
      keyAttribution: key.attribution,
    };
    return { scope, maxBodyBytes: key.maxBodyBytes };
  }

  /** Checks an API token, HTTP Basic password (when `allowBasic`) or session cookie. */
  async user(
    credentials: PresentedCredentials,
    address: string,
    allowBasic: boolean,
  ): Promise<UserIdentity> {
    const basicToken = credentials.basic?.password.startsWith(API_TOKEN_PREFIX)
      ? credentials.basic.password
      : null;
    const token = credentials.bearer ?? (allowBasic ? basicToken : null);
    if (token !== null) return this.fromToken(token);
    if (allowBasic && credentials.basic !== null) return this.fromBasic(credentials.basic, address);
    if (credentials.sessionId !== null) return this.fromSession(credentials.sessionId);
    throw new AuthFailure(
      'unauthenticated',
      'authentication required; log in or send "Authorization: Bearer <API token>"',
    );
  }

  private async fromToken(secret: string): Promise<UserIdentity> {
    const token = await this.store.findApiToken(sha256Hex(secret));
    const nowUnixMs = this.now();
    const expired = token?.expiresAtUnixMs != null && token.expiresAtUnixMs <= nowUnixMs;
    if (token === null || token.revokedAtUnixMs !== null || expired)
      throw new AuthFailure(
        'unauthenticated',
        'the API token is invalid, revoked or expired; create one with "foghorn tokens create"',
      );
    this.limit(`token:${token.id}`, this.settings.apiRatePerSecond, this.settings.apiBurst);
    const user = await this.store.getUser(token.userId);
    const scope = await this.scopeFor(user, token.projectId, `token:${token.id}`);
    return { scope, proof: 'token', session: null };
  }

  private async fromBasic(
    basic: { username: string; password: string },
    address: string,
  ): Promise<UserIdentity> {
    const cacheKey = createHmac('sha256', this.basicCacheKey)
      .update(`${basic.username}\u0000${basic.password}`)
      .digest('hex');
    const cached = this.basicCache.get(cacheKey);
    let userId: string;
    if (cached !== undefined && cached.expiresAtUnixMs > this.now()) {
      userId = cached.userId;
    } else {
      const user = await this.passwords.verify(basic.username, basic.password, address, 'basic');
      userId = user.id;
      this.basicCache.set(cacheKey, {
        userId,
        expiresAtUnixMs: this.now() + this.settings.basicAuthCacheMs,
      });
      this.pruneBasicCache();
    }
    this.limit(`user:${userId}`, this.settings.apiRatePerSecond, this.settings.apiBurst);
    const user = await this.store.getUser(userId);
    const memberships = await this.store.membershipsOf(userId);
    const projectId = memberships[0]?.projectId ?? '';
    const scope = await this.scopeFor(user, projectId, `user:${basic.username}`);
    return { scope, proof: 'basic', session: null };
  }

  private async fromSession(sessionId: string): Promise<UserIdentity> {
    const session = await this.store.findSession(sha256Hex(sessionId));
    if (session === null || session.expiresAtUnixMs <= this.now())
      throw new AuthFailure(
        'unauthenticated',
        'the session has expired or was ended; log in again',
      );
    this.limit(
      `session:${session.idSha256}`,
      this.settings.apiRatePerSecond,
      this.settings.apiBurst,
    );
    const user = await this.store.getUser(session.userId);
    const scope = await this.scopeFor(
      user,
      session.projectId,
      `user:${user?.username ?? session.userId}`,
    );
    return { scope, proof: 'session', session };
  }

  /** The scope of a user in a project; a user without a role there is turned away. */
  async scopeFor(
    user: UserAccount | null,
    projectId: string,
    principal: string,
  ): Promise<RequestScope> {
    if (user === null)
      throw new AuthFailure('unauthenticated', 'the user of these credentials no longer exists');
    const membership = (await this.store.membershipsOf(user.id)).find(
      (entry) => entry.projectId === projectId,
    );
    if (membership === undefined)
      throw new AuthFailure(
        'forbidden',
        `user "${user.username}" has no role in project "${projectId}"; an admin can grant one with "foghorn users grant"`,
      );
    return {
      projectId,
      principal,
      userId: user.id,
      role: membership.role,
      permissions: permissionsOf(membership.role),
      canReadContent: membership.canReadContent,
      keyAttribution: {},
    };
  }

  private limit(bucketKey: string, ratePerSecond: number, burst: number): void {
    const result = this.buckets.take(bucketKey, { ratePerSecond, burst });
    if (!result.allowed) {
      throw new AuthFailure(
        'rate_limited',
        `rate limit of ${ratePerSecond} requests per second exceeded for this credential; retry after the Retry-After delay`,
        retryAfterSeconds(result.retryAfterMs),
      );
    }
  }

  private pruneBasicCache(): void {
    const nowUnixMs = this.now();
    for (const [key, entry] of this.basicCache)
      if (entry.expiresAtUnixMs <= nowUnixMs) this.basicCache.delete(key);
  }
}
