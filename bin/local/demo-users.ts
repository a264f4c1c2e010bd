/**
 * The demo users of the local stack: one with no group, one in the first mapped group. npm start
 * creates them once, with generated passwords, and prints the passwords then only.
 *
 * The passwords are kept in the state folder (`demo-users.json`, mode 0600, git-ignored), so that
 * every later start can still sign the users in and show what Hasura does with their tokens. That
 * is no secret worth more than the file: the emulator's tokens can be forged by anyone who can
 * read its published signing key, let alone this folder. The file is read as hostile input.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../hasura-config/atomic-write';
import { GENERATED_PASSWORD } from '../../hasura-config/password';
import { quoted } from '../../hasura-config/terminal-text';
import { InvalidInputError } from '../../lambda/errors';
import type { StackConfig } from '../../lib/stack-config';
import { shownPath } from './local-env-file';
import { DEMO_USERS_FILE_NAME, RESET_REMEDY } from './state-folder';

export interface DemoUser {
  readonly email: string;
  /** The groups it is put in when created. */
  readonly groups: readonly string[];
  /** The mapped role of its group, requested with x-hasura-role in the summary. */
  readonly role: string | undefined;
}

export const DEMO_USERS_VERSION = 1;

/** The demo users for `config`: the one without a group always; the grouped one if cdk.json maps a group to a role. */
export function demoUsers(config: StackConfig): DemoUser[] {
  const [group, role] = Object.entries(config.claims.groupRoles)[0] ?? [];
  return [
    { email: 'reader@example.com', groups: [], role: undefined },
    ...(group ? [{ email: 'admin@example.com', groups: [group], role }] : []),
  ];
}

/** The values the demo users get for the custom attributes the claims read. */
export function demoAttributes(config: StackConfig): Record<string, string> {
  return Object.fromEntries(
    config.claimAttributes.filter((a) => a.startsWith('custom:')).map((a) => [a, `demo-${a.slice('custom:'.length).replace(/_/g, '-')}`]),
  );
}

export function demoUsersFile(stateDir: string): string {
  return path.join(stateDir, DEMO_USERS_FILE_NAME);
}

/** The demo users' passwords by email; `undefined` when none were created in this state yet. */
export function readDemoPasswords(stateDir: string): Map<string, string> | undefined {
  const file = demoUsersFile(stateDir);
  const field = shownPath(file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT') return undefined;
    throw new InvalidInputError(field, 'a readable file', `an unreadable file (${code})`);
  }
  const expected = `the JSON npm start writes (${RESET_REMEDY})`;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new InvalidInputError(field, expected, 'text that is not JSON');
  }
  const fields = (typeof document === 'object' && document !== null ? document : {}) as Record<string, unknown>;
  if (fields.version !== DEMO_USERS_VERSION)
    throw new InvalidInputError(`${field} version`, `${DEMO_USERS_VERSION} (${RESET_REMEDY})`, quoted(String(fields.version)));
  const users = fields.passwords;
  if (typeof users !== 'object' || users === null || Array.isArray(users))
    throw new InvalidInputError(`${field} passwords`, expected, quoted(String(users)));
  const passwords = new Map<string, string>();
  for (const [email, password] of Object.entries(users)) {
    if (typeof password !== 'string' || !GENERATED_PASSWORD.test(password))
      throw new InvalidInputError(
        `${field} passwords ${quoted(email)}`,
        `a password npm start generated (${RESET_REMEDY})`,
        'another value',
      );
    passwords.set(email, password);
  }
  return passwords;
}

export function writeDemoPasswords(stateDir: string, passwords: ReadonlyMap<string, string>): void {
  const document = { version: DEMO_USERS_VERSION, passwords: Object.fromEntries(passwords) };
  writeFileAtomic(demoUsersFile(stateDir), `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600, force: true });
}
