import { KEY_ATTRIBUTION_FIELDS, type KeyAttribution } from '../enrich/key-attribution.ts';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { pino } from 'pino';
import { formatHelp, parseOptions, type OptionSpec, type ParsedOptions } from '../cli/options.ts';
import { openEncryptedDuckDb, openPlainDuckDb } from '../crypto/duckdb-encryption.ts';
import { ENCRYPTION_OPTIONS, encryptionFromOptions } from '../crypto/encryption-options.ts';
import { FoghornError } from '../errors.ts';
import { DUCKDB_FILE_NAME } from '../store/duckdb/duckdb-store.ts';
import { openDuckDbAuthStore } from '../store/duckdb/auth/duckdb-auth-store.ts';
import { AUTH_DEFAULTS } from './auth-settings.ts';
import { createAuthContext, type AuthContext } from './auth-context.ts';
import { isRole, type Role } from './permissions.ts';
import { DEFAULT_PROJECT_ID } from './request-scope.ts';
import { lookupTable } from '../lookup-table.ts';

export const AUTH_COMMANDS: readonly string[] = ['projects', 'keys', 'users', 'tokens'];

export const AUTH_USAGE = `  projects create|list, keys create|list|revoke, users create|list|grant|set-password, tokens create
          Manage projects, ingest keys, users and API tokens of a stopped server's data directory`;

/** Environment variable with the password for `users create` and `users set-password`. */
const PASSWORD_ENV = 'FOGHORN_USER_PASSWORD';

const text = (
  name: string,
  description: string,
  defaultValue: string | null = null,
): OptionSpec => ({
  name,
  kind: 'string',
  defaultValue,
  description,
});

const COMMON: readonly OptionSpec[] = [
  {
    ...text(
      'data-dir',
      'Folder of the DuckDB file; no server may be running on it',
      './foghorn-data',
    ),
    env: 'FOGHORN_DATA_DIR',
  },
  text('project', 'Project id', DEFAULT_PROJECT_ID),
  ...ENCRYPTION_OPTIONS,
];

const SPECS: Readonly<Record<string, readonly OptionSpec[]>> = lookupTable({
  'projects create': [
    ...COMMON,
    text('id', 'Id of the new project (required)'),
    text('name', 'Display name'),
  ],
  'projects list': COMMON,
  'keys create': [
    ...COMMON,
    text('name', 'What the key is for, such as the service name', 'ingest'),
    {
      name: 'rate-per-second',
      kind: 'integer',
      defaultValue: null,
      min: 1,
      description: 'Sustained OTLP requests per second for this key',
    },
    {
      name: 'max-body-bytes',
      kind: 'integer',
      defaultValue: null,
      min: 1024,
      description: 'Largest OTLP request body for this key, in bytes',
    },
    text('tenant', 'Tenant given to spans sent with this key that name none'),
    text('feature', 'Feature given to spans sent with this key that name none'),
    text('environment', 'Environment given to spans sent with this key that name none'),
  ],
  'keys list': COMMON,
  'keys revoke': [...COMMON, text('id', 'Id of the key to revoke (required)')],
  'users create': [
    ...COMMON,
    text('username', 'User name (required)'),
    text('role', 'Role in the project: viewer, member or admin', 'viewer'),
    {
      name: 'admin',
      kind: 'boolean',
      defaultValue: false,
      description: 'Shorthand for --role admin --content',
    },
    {
      name: 'content',
      kind: 'boolean',
      defaultValue: false,
      description: 'Allow reading prompt and completion content',
    },
  ],
  'users list': COMMON,
  'users grant': [
    ...COMMON,
    text('username', 'User name (required)'),
    text('role', 'Role in the project: viewer, member or admin', 'viewer'),
    {
      name: 'content',
      kind: 'boolean',
      defaultValue: false,
      description: 'Allow reading prompt and completion content',
    },
  ],
  'users set-password': [...COMMON, text('username', 'User name (required)')],
  'tokens create': [
    ...COMMON,
    text('username', 'Owner of the token (required)'),
    text('name', 'What the token is for', 'cli'),
    {
      name: 'expires-in-days',
      kind: 'integer',
      defaultValue: null,
      min: 1,
      description: 'Days until the token expires; default never',
    },
  ],
});

export interface CommandProcess {
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stderr: { write(text: string): unknown };
}

function required(options: ParsedOptions, name: string): string {
  const value = options[name];
  if (typeof value !== 'string' || value === '') throw new CommandError(`--${name} is required`);
  return value;
}

/** The tenant, feature and environment options of `keys create` that were given. */
function keyAttributionOptions(options: ParsedOptions): KeyAttribution {
  const attribution: KeyAttribution = {};
  for (const field of KEY_ATTRIBUTION_FIELDS) {
    const value = options[field];
    if (typeof value === 'string') attribution[field] = value;
  }
  return attribution;
}

class CommandError extends Error {}

async function readPassword(io: CommandProcess): Promise<string> {
  const fromEnv = io.env[PASSWORD_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (io.stdin.isTTY === true)
    throw new CommandError(
      `set ${PASSWORD_ENV} or pipe the password on standard input; it is never taken as an argument`,
    );
  let input = '';
  for await (const chunk of io.stdin) input += String(chunk);
  return input.split(/\r?\n/)[0] ?? '';
}

async function openContext(
  options: ParsedOptions,
  io: CommandProcess,
): Promise<{ context: AuthContext; instance: DuckDBInstance }> {
  const path = join(resolve(String(options['data-dir'])), DUCKDB_FILE_NAME);
  const encryption = encryptionFromOptions(options, io.env);
  const instance =
    encryption === null ? await openPlainDuckDb(path) : await openEncryptedDuckDb(path, encryption);
  const store = await openDuckDbAuthStore(instance);
  const context = createAuthContext(
    store,
    { ...AUTH_DEFAULTS },
    pino({ level: 'silent' }),
    Date.now,
  );
  await context.admin.ensureDefaultProject();
  return { context, instance };
}

function roleOption(options: ParsedOptions): Role {
  if (options.admin === true) return 'admin';
  const role = options.role;
  if (!isRole(role))
    throw new CommandError(`--role "${String(role)}" is invalid; use viewer, member or admin`);
  return role;
}

type Action = (
  context: AuthContext,
  options: ParsedOptions,
  out: (text: string) => void,
  io: CommandProcess,
) => Promise<string | null>;

/** Each action returns the audit action it performed, or null for reads. */
const ACTIONS: Readonly<Record<string, Action>> = lookupTable({
  'projects create': async (context, options, out) => {
    await context.admin.createProject(required(options, 'id'), String(options.name ?? ''));
    out(`created project ${String(options.id)}\n`);
    return 'projects.change';
  },
  'projects list': async (context, _options, out) => {
    for (const project of await context.store.listProjects())
      out(`${project.id}\t${project.name}\n`);
    return null;
  },
  'keys create': async (context, options, out) => {
    const created = await context.admin.createIngestKey({
      projectId: String(options.project),
      name: String(options.name),
      ratePerSecond: options['rate-per-second'] as number | null,
      maxBodyBytes: options['max-body-bytes'] as number | null,
      attribution: keyAttributionOptions(options),
    });
    out(`${created.secret}\n`);
    out(
      `key id ${created.record.id} for project ${created.record.projectId}; this is the only time the key is shown\n`,
    );
    return 'keys.change';
  },
  'keys list': async (context, options, out) => {
    for (const key of await context.store.listIngestKeys(String(options.project))) {
      const state = key.revokedAtUnixMs === null ? 'active' : 'revoked';
      out(`${key.id}\t${key.prefix}…\t${key.name}\t${state}\n`);
    }
    return null;
  },
  'keys revoke': async (context, options, out) => {
    const id = required(options, 'id');
    if (!(await context.store.revokeIngestKey(id, String(options.project), Date.now())))
      throw new CommandError(`no active key ${id} in project ${String(options.project)}`);
    out(`revoked key ${id}\n`);
    return 'keys.change';
  },
  'users create': async (context, options, out, io) => {
    const username = required(options, 'username');
    const role = roleOption(options);
    await context.admin.createUser({
      username,
      password: await readPassword(io),
      projectId: String(options.project),
      role,
      canReadContent: options.admin === true || options.content === true,
    });
    out(`created user ${username} (${role} of project ${String(options.project)})\n`);
    return 'users.change';
  },
  'users list': async (context, _options, out) => {
    for (const user of await context.store.listUsers()) {
      const roles = (await context.store.membershipsOf(user.id)).map(
        (entry) => `${entry.projectId}:${entry.role}${entry.canReadContent ? '+content' : ''}`,
      );
      out(`${user.username}\t${roles.join(',')}\n`);
    }
    return null;
  },
  'users grant': async (context, options, out) => {
    const username = required(options, 'username');
    const role = roleOption(options);
    await context.admin.grant(username, String(options.project), role, options.content === true);
    out(`${username} is now ${role} of project ${String(options.project)}\n`);
    return 'users.change';
  },
  'users set-password': async (context, options, out, io) => {
    await context.admin.setPassword(required(options, 'username'), await readPassword(io));
    out(`password changed for ${String(options.username)}\n`);
    return 'users.change';
  },
  'tokens create': async (context, options, out) => {
    const days = options['expires-in-days'] as number | null;
    const expiresAt = days === null ? null : Date.now() + days * 24 * 60 * 60 * 1000;
    const created = await context.admin.createApiToken(
      required(options, 'username'),
      String(options.project),
      String(options.name),
      expiresAt,
    );
    out(`${created.secret}\n`);
    out(`token id ${created.record.id}; this is the only time the token is shown\n`);
    return 'tokens.change';
  },
});

/**
 * Runs `foghorn projects|keys|users|tokens <subcommand>` against a stopped
 * server's data directory and returns the exit code. Changes are audited as `cli:<OS user>`.
 */
export async function runAuthCommand(
  command: string,
  argv: readonly string[],
  out: (text: string) => void,
  io: CommandProcess,
): Promise<number> {
  const [subcommand = '', ...rest] = argv;
  const name = `${command} ${subcommand}`;
  const action = ACTIONS[name];
  const specs = SPECS[name];
  if (action === undefined || specs === undefined) {
    io.stderr.write(`foghorn ${command}: unknown subcommand "${subcommand}"\n${AUTH_USAGE}\n`);
    return 2;
  }
  if (rest.includes('--help')) {
    out(`${formatHelp(`Usage: foghorn ${name} [options]`, specs)}\n`);
    return 0;
  }
  const options = parseOptions(specs, rest, io.env, (message) =>
    io.stderr.write(`foghorn: ${message}\n`),
  );
  const { context, instance } = await openContext(options, io);
  try {
    const audited = await action(context, options, out, io);
    if (audited !== null)
      await context.audit.record({
        actor: `cli:${userInfo().username}`,
        action: audited,
        outcome: 'success',
        projectId: String(options.project),
        detail: { command: name },
      });
    return 0;
  } catch (error) {
    if (!(error instanceof CommandError) && !(error instanceof FoghornError)) throw error;
    io.stderr.write(`foghorn ${name}: ${error.message}\n`);
    return 2;
  } finally {
    await context.store.close();
    instance.closeSync();
  }
}
