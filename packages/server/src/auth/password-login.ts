import type { AuditLog } from '../audit/audit-log.ts';
import type { AuthStore, UserAccount } from '../store/auth-store.ts';
import { AuthFailure, retryAfterSeconds } from './auth-failure.ts';
import type { AuthSettings } from './auth-settings.ts';
import { LoginThrottle } from './login-throttle.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';

/** The same message for an unknown user and a wrong password, so names cannot be probed. */
const BAD_CREDENTIALS = 'the user name or password is wrong';

/**
 * Checks user names and passwords for the login form and HTTP Basic, with
 * throttling per account and per address and an audit entry per outcome.
 */
export class PasswordLogin {
  private readonly accounts: LoginThrottle;
  private readonly addresses: LoginThrottle;
  /** A hash checked for unknown users, so they take as long as known ones. */
  private decoyHash: Promise<string> | null = null;

  constructor(
    private readonly store: AuthStore,
    private readonly audit: AuditLog,
    settings: AuthSettings,
    now: () => number,
  ) {
    this.accounts = new LoginThrottle(settings.accountThrottle, now);
    this.addresses = new LoginThrottle(settings.addressThrottle, now);
  }

  /** Returns the user whose password matches, or throws an AuthFailure. */
  async verify(
    username: string,
    password: string,
    address: string,
    via: string,
  ): Promise<UserAccount> {
    const accountKey = `account:${username}`;
    const addressKey = `address:${address}`;
    const accountVerdict = this.accounts.check([accountKey]);
    const addressVerdict = this.addresses.check([addressKey]);
    const blocked = [accountVerdict, addressVerdict].find((verdict) => !verdict.allowed);
    if (blocked !== undefined) {
      await this.audit.record({
        actor: `user:${username}`,
        action: 'auth.login_failed',
        outcome: 'failure',
        address,
        detail: { via, reason: blocked.reason === 'locked' ? 'locked_out' : 'throttled' },
      });
      const what =
        blocked.reason === 'locked'
          ? 'locked after repeated failed logins'
          : 'throttled after a failed login';
      throw new AuthFailure(
        'rate_limited',
        `login is ${what}; retry later`,
        retryAfterSeconds(blocked.retryAfterMs),
      );
    }

    const user = await this.store.findUserByName(username);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await this.decoy()));
    if (user !== null && ok) {
      this.accounts.recordSuccess(accountKey);
      await this.audit.record({
        actor: `user:${username}`,
        action: 'auth.login',
        outcome: 'success',
        address,
        detail: { via },
      });
      return user;
    }

    await this.recordFailure(username, address, via, accountKey, addressKey);
    throw new AuthFailure('unauthenticated', BAD_CREDENTIALS);
  }

  private async recordFailure(
    username: string,
    address: string,
    via: string,
    accountKey: string,
    addressKey: string,
  ): Promise<void> {
    const locked = [
      ...this.accounts.recordFailure([accountKey]),
      ...this.addresses.recordFailure([addressKey]),
    ];
    await this.audit.record({
      actor: `user:${username}`,
      action: 'auth.login_failed',
      outcome: 'failure',
      address,
      detail: { via, reason: 'bad_credentials' },
    });
    for (const subject of locked) {
      await this.audit.record({
        actor: `user:${username}`,
        action: 'auth.lockout',
        outcome: 'failure',
        address,
        target: subject,
        detail: { via },
      });
    }
  }

  private decoy(): Promise<string> {
    this.decoyHash ??= hashPassword('decoy password for unknown users');
    return this.decoyHash;
  }
}
