/**
 * `npm run users -- <command> <arguments> (--local | --outputs FILE [--stack NAME])`: the users of
 * the pool, and the groups that give them Hasura roles. A thin shell over user-admin.ts: arguments
 * in, checked before any request; one line per result out, every value from Cognito or an argument
 * escaped. Exit 0 done; 1 Cognito refused the request or could not be reached; 2 bad arguments,
 * or `--local` while nothing serves the local stack.
 */

import { InvalidInputError } from '../lambda/errors';
import { appendGroupRoles } from '../lambda/hasura-claims';
import { checkEmail, checkGroupName, parseArguments, stringOption } from './cli-args';
import { type CliIo, reportError, runAsProcess } from './cli-io';
import type { CognitoTarget } from './cognito-target';
import { checkPassword, generatePassword } from './password';
import { checkPasswordOption, readPassword } from './password-input';
import { TARGET_OPTIONS, type TargetOptions, targetOptions } from './target-options';
import { printable, quoted } from './terminal-text';
import type { ListedUser } from './user-admin';

const PROGRAM = 'users';

const OPTIONS = {
  ...TARGET_OPTIONS,
  group: { type: 'string', multiple: true },
  password: { type: 'string' },
  help: { type: 'boolean' },
} as const;

export const USAGE = `Usage: hasura-cognito-users <command> (--local | --outputs FILE [--stack NAME])
Commands:
  create <email> [--group NAME]... [--password -]
                 a confirmed user with a verified email and a permanent password: generated and
                 printed once, or read from standard input with --password -
  add-to-group <email> <group>
  remove-from-group <email> <group>
  delete <email>
  list           every user, their groups, and the Hasura roles those groups give
Targets (exactly one):
  --local [--state-dir DIR] [--cdk-json FILE]
                 the stack npm start is serving (its state in DIR, default .local-stack; its groupRoles
                 in FILE, default cdk.json)
  --outputs FILE [--stack NAME]
                 a deployed stack (the file cdk deploy --outputs-file writes); AWS credentials from
                 the default provider chain, the region from the outputs
A group that groupRoles does not map may be used; it gives no Hasura role.
Exit status: 0 done, 1 Cognito refused or could not be reached, 2 bad arguments or nothing serving --local.
In a clone of the repository: npm run users -- <command> <options>.
`;

/** Each command's arguments, by name, as the usage line shows them. */
const COMMANDS = {
  create: ['email'],
  'add-to-group': ['email', 'group'],
  'remove-from-group': ['email', 'group'],
  delete: ['email'],
  list: [],
} as const;
type Command = keyof typeof COMMANDS;

/** A command line, checked: nothing in it has been read or sent yet. */
interface UsersRequest {
  readonly command: Command;
  readonly email: string | undefined;
  readonly group: string | undefined;
  /** create's --group values. */
  readonly groups: readonly string[];
  readonly password: string | undefined;
  readonly target: TargetOptions;
}

/** Checks the whole command line, with no I/O; throws InvalidInputError for the first problem. */
export function parseUsersCommand(argv: readonly string[]): UsersRequest | 'help' {
  const { values, positionals } = parseArguments(argv, OPTIONS);
  if (values.help === true) return 'help';
  const [name, ...rest] = positionals;
  if (name === undefined) throw new InvalidInputError('command', `one of ${Object.keys(COMMANDS).join(', ')}`, 'none');
  if (!Object.hasOwn(COMMANDS, name)) throw new InvalidInputError('command', `one of ${Object.keys(COMMANDS).join(', ')}`, quoted(name));
  const command = name as Command;
  const expected: readonly string[] = COMMANDS[command];
  const shape = `${command}${expected.map((a) => ` <${a}>`).join('')}`;
  if (rest.length < expected.length)
    throw new InvalidInputError(`${command} <${expected[rest.length]}>`, `the arguments ${shape}`, 'nothing');
  if (rest.length > expected.length)
    throw new InvalidInputError(`${command}`, `the arguments ${shape}`, `also ${printable(rest[expected.length])}`);
  const email = expected[0] === 'email' ? checkEmail(rest[0], `${command} <email>`) : undefined;
  const group = expected[1] === 'group' ? checkGroupName(rest[1], `${command} <group>`) : undefined;
  const groupValues = (values.group as string[] | undefined) ?? [];
  if (command !== 'create') {
    if (groupValues.length > 0) throw new InvalidInputError('--group', `create with it (${shape} takes the group as an argument)`, command);
    if (values.password !== undefined) throw new InvalidInputError('--password', 'create with it', command);
  }
  const groups = [...new Set(groupValues.map((g) => checkGroupName(g, '--group')))];
  const password = stringOption(values, 'password');
  checkPasswordOption(password);
  return { command, email, group, groups, password, target: targetOptions(values) };
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let target: CognitoTarget | undefined;
  try {
    const request = parseUsersCommand(argv);
    if (request === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    // The AWS SDK takes longer to load than all the rest: only once the arguments are known to be good.
    const { openTarget } = require('./cognito-target') as typeof import('./cognito-target');
    target = await openTarget(request.target);
    const lines = await runCommand(request, target, io);
    io.stdout(lines.map((line) => `${line}\n`).join(''));
    return 0;
  } catch (error) {
    return reportError(PROGRAM, error, io);
  } finally {
    target?.cognito.destroy();
  }
}

async function runCommand(request: UsersRequest, target: CognitoTarget, io: CliIo): Promise<string[]> {
  const { addUserToGroup, createUser, deleteUser, listUsers, poolPasswordPolicy, removeUserFromGroup } =
    require('./user-admin') as typeof import('./user-admin');
  const email = request.email as string;
  const group = request.group as string;
  const user = printable(email);
  switch (request.command) {
    case 'create': {
      const groupRoles = request.groups.length > 0 ? target.groupRoles() : {};
      const policy = await poolPasswordPolicy(target);
      const given = await readPassword(request.password, io, undefined);
      const password = given === undefined ? generatePassword(policy) : checkPassword(given, policy, '--password -');
      await createUser(target, { email, password, groups: request.groups });
      return [
        `Created ${user}: confirmed, email verified, password permanent.`,
        ...request.groups.map((g) => groupLine(groupRoles, g)),
        ...(given === undefined ? [`Password (shown only now): ${password}`] : []),
      ];
    }
    case 'add-to-group': {
      const groupRoles = target.groupRoles();
      await addUserToGroup(target, email, group);
      return [`Added ${user} to group ${printable(group)}; tokens issued from now on carry it.`, groupLine(groupRoles, group)];
    }
    case 'remove-from-group':
      await removeUserFromGroup(target, email, group);
      return [`Removed ${user} from group ${printable(group)}; tokens issued before keep its role until they expire.`];
    case 'delete':
      await deleteUser(target, email);
      return [`Deleted ${user}; tokens issued before stay valid until they expire.`];
    case 'list': {
      const groupRoles = target.groupRoles();
      return listLines(await listUsers(target), groupRoles);
    }
  }
}

/** What joining `group` gives: its Hasura role, or none when groupRoles does not map it. */
function groupLine(groupRoles: Readonly<Record<string, string>>, group: string): string {
  const [role] = appendGroupRoles(groupRoles, [group], []);
  return role === undefined
    ? `Group ${printable(group)} grants no Hasura role: groupRoles does not map it.`
    : `Group ${printable(group)} grants the Hasura role ${printable(role)}.`;
}

/** The listing: a header and one aligned row per user; groups and roles comma-separated, `-` for none. */
export function listLines(users: readonly ListedUser[], groupRoles: Readonly<Record<string, string>>): string[] {
  if (users.length === 0) return ['No users.'];
  const rows = users.map((u) => [
    printable(u.email),
    u.enabled ? printable(u.status) : `${printable(u.status)} (disabled)`,
    u.groups.map(printable).join(',') || '-',
    appendGroupRoles(groupRoles, u.groups, []).map(printable).join(',') || '-',
  ]);
  const table = [['EMAIL', 'STATUS', 'GROUPS', 'HASURA ROLES FROM GROUPS'], ...rows];
  const widths = table[0].map((_, column) => Math.max(...table.map((row) => row[column].length)));
  return [
    ...table.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ')),
    'Every signed-in user also has the default role.',
  ];
}

if (require.main === module) runAsProcess(main);
