/**
 * The users and token commands in-process: every usage error exits 2 with one line on stderr and
 * nothing on stdout, before any request (nothing here reaches a network: a `--local` state dir
 * that does not exist, outputs without the fields a command needs, or errors found in the
 * arguments themselves). The requests themselves run in test/e2e/users-token.e2e.test.ts.
 */
import { USAGE as TOKEN_USAGE, main as token } from '../../../hasura-config/token';
import { listLines, USAGE as USERS_USAGE, main as users } from '../../../hasura-config/users';
import { expectTerminalSafe, FORGED_LINE, makeTempDir, OUTPUTS_FIXTURE_ARG, runMain } from './helpers';

const TWO_STACKS = 'test/fixtures/cdk-outputs-two-stacks.json';
const OLD_STACK = [`--outputs`, TWO_STACKS, '--stack', 'ProductionAuth'];
const temp = makeTempDir();
afterAll(temp.cleanup);
const NOTHING = ['--local', '--state-dir', `${temp.dir}/none`];

const ONE_TARGET = 'one target: --local (the stack npm start serves) or --outputs FILE [--stack NAME] (a deployed stack)';

async function usageError(main: typeof users, argv: string[], message: string, input?: string) {
  const readStdin = jest.fn(async () => input ?? '');
  const result = await runMain(main, argv, { readStdin });
  expect(result).toEqual({ code: 2, stdout: '', stderr: `${message}\n` });
  return readStdin;
}

describe('users: usage errors exit 2 with one line, before any request', () => {
  it.each<[string, string[], string]>([
    ['no command', ['--local'], 'users: command: expected one of create, add-to-group, remove-from-group, delete, list, found none'],
    [
      'an unknown command',
      ['rename', '--local'],
      'users: command: expected one of create, add-to-group, remove-from-group, delete, list, found "rename"',
    ],
    [
      'an unknown command, escaped',
      [`x${FORGED_LINE}`, '--local'],
      'users: command: expected one of create, add-to-group, remove-from-group, delete, list, found "x\\u001b]0;pwned\\u0007\\nrole: admin"',
    ],
    ['neither target', ['list'], `users: target: expected ${ONE_TARGET}, found neither`],
    [
      'both targets',
      ['list', '--local', '--outputs', OUTPUTS_FIXTURE_ARG],
      `users: --local and --outputs: expected ${ONE_TARGET}, found both`,
    ],
    ['--stack with --local', ['list', '--local', '--stack', 'S'], 'users: --stack: expected --outputs FILE with it, found --local'],
    [
      '--state-dir with --outputs',
      ['list', '--outputs', OUTPUTS_FIXTURE_ARG, '--state-dir', 'd'],
      'users: --state-dir: expected --local with it, found --outputs',
    ],
    [
      '--cdk-json with --outputs',
      ['list', '--outputs', OUTPUTS_FIXTURE_ARG, '--cdk-json', 'c'],
      'users: --cdk-json: expected --local with it, found --outputs',
    ],
    ['a missing email', ['create', '--local'], 'users: create <email>: expected the arguments create <email>, found nothing'],
    [
      'a missing group',
      ['add-to-group', 'a@example.com', '--local'],
      'users: add-to-group <group>: expected the arguments add-to-group <email> <group>, found nothing',
    ],
    ['a missing email for delete', ['delete', '--local'], 'users: delete <email>: expected the arguments delete <email>, found nothing'],
    [
      'an extra argument',
      ['delete', 'a@example.com', 'b@example.com', '--local'],
      'users: delete: expected the arguments delete <email>, found also b@example.com',
    ],
    ['an argument to list', ['list', 'a@example.com', '--local'], 'users: list: expected the arguments list, found also a@example.com'],
    [
      'a malformed email',
      ['create', 'alice', '--local'],
      'users: create <email>: expected an email address such as alice@example.com, found "alice"',
    ],
    [
      'an email with a space',
      ['delete', 'a b@example.com', '--local'],
      'users: delete <email>: expected an email address such as alice@example.com, found "a b@example.com"',
    ],
    [
      'an email with a newline',
      ['delete', 'a@example.com\nrole: admin', '--local'],
      'users: delete <email>: expected an email address such as alice@example.com, found "a@example.com\\nrole: admin"',
    ],
    [
      'a group name with a space',
      ['add-to-group', 'a@example.com', 'my group', '--local'],
      'users: add-to-group <group>: expected a Cognito group name of 1-128 characters without spaces, found "my group"',
    ],
    [
      'a --group with a space',
      ['create', 'a@example.com', '--group', 'a b', '--local'],
      'users: --group: expected a Cognito group name of 1-128 characters without spaces, found "a b"',
    ],
    [
      '--group on another command',
      ['delete', 'a@example.com', '--group', 'admins', '--local'],
      'users: --group: expected create with it (delete <email> takes the group as an argument), found delete',
    ],
    [
      '--password on another command',
      ['delete', 'a@example.com', '--password', '-', '--local'],
      'users: --password: expected create with it, found delete',
    ],
    [
      'a password in the arguments, not echoed',
      ['create', 'a@example.com', '--password', 'hunter2-Secret', '--local'],
      'users: --password: expected - (the password on standard input; arguments are visible to other users), found a password in the arguments',
    ],
    [
      'an unknown option',
      ['list', '--local', '--verbose'],
      'users: --verbose: expected a known option (see --help), found an unknown option',
    ],
    ['--outputs without a value', ['list', '--outputs'], 'users: --outputs: expected a value, found nothing'],
    [
      'a missing outputs file',
      ['list', '--outputs', 'nope.json'],
      'users: --outputs nope.json: expected a readable cdk outputs file, found no such file',
    ],
  ])('%s', async (_name, argv, message) => {
    const readStdin = await usageError(users, argv, message);
    expect(readStdin).not.toHaveBeenCalled();
  });

  it('--local while no state file exists: says to run npm start', async () => {
    await usageError(
      users,
      ['list', ...NOTHING],
      `users: nothing is serving the local stack (no ${temp.dir}/none/stack.json): run npm start, and keep it running`,
    );
  });

  it.each([
    ['list', []],
    ['add-to-group', ['a@example.com', 'admins']],
    ['create', ['a@example.com', '--group', 'admins']],
  ])('%s on a stack deployed without GroupRoles: says what is missing and how to get it', async (command, args) => {
    await usageError(
      users,
      [command, ...args, ...OLD_STACK],
      `users: --outputs ${TWO_STACKS} stack ProductionAuth output GroupRoles: expected the output of a stack deployed by this version (redeploy it: npx cdk deploy --outputs-file ${TWO_STACKS}), found no such output`,
    );
  });

  it('--help: exit 0, the usage on stdout, for npm run and the installed bin alike', async () => {
    expect(await runMain(users, ['--help'])).toEqual({ code: 0, stdout: USERS_USAGE, stderr: '' });
    expect(USERS_USAGE).toMatch(/^Usage: hasura-cognito-users <command> /);
    expect(USERS_USAGE).toContain('In a clone of the repository: npm run users -- <command> <options>.');
    expect(USERS_USAGE).toContain('hasura-cognito-users <command>');
    for (const word of [
      'create <email>',
      '--group',
      '--password -',
      'add-to-group',
      'remove-from-group',
      'delete',
      'list',
      '--local',
      '--state-dir',
      '--cdk-json',
      '--outputs',
      '--stack',
    ]) {
      expect(USERS_USAGE).toContain(word);
    }
  });
});

describe('token: usage errors exit 2 with one line, before any request', () => {
  it.each<[string, string[], string]>([
    ['no email', ['--local'], 'token: <email>: expected the email of the user to sign in, found nothing'],
    ['two emails', ['a@example.com', 'b@example.com', '--local'], 'token: <email>: expected one email, found also b@example.com'],
    ['a malformed email', ['alice@', '--local'], 'token: <email>: expected an email address such as alice@example.com, found "alice@"'],
    ['neither target', ['a@example.com'], `token: target: expected ${ONE_TARGET}, found neither`],
    [
      'both targets',
      ['a@example.com', '--local', '--outputs', OUTPUTS_FIXTURE_ARG],
      `token: --local and --outputs: expected ${ONE_TARGET}, found both`,
    ],
    [
      'a password in the arguments, not echoed',
      ['a@example.com', '--password', 'hunter2-Secret', '--local'],
      'token: --password: expected - (the password on standard input; arguments are visible to other users), found a password in the arguments',
    ],
    ['--all with a value', ['a@example.com', '--all=yes', '--local'], 'token: --all: expected no value, found "yes"'],
    [
      '--cdk-json',
      ['a@example.com', '--local', '--cdk-json', 'cdk.json'],
      'token: --cdk-json: expected no --cdk-json (token does not read groupRoles), found one',
    ],
  ])('%s', async (_name, argv, message) => {
    const readStdin = await usageError(token, argv, message);
    expect(readStdin).not.toHaveBeenCalled();
  });

  it('--local while no state file exists: says to run npm start, before reading the password', async () => {
    const readStdin = await usageError(
      token,
      ['a@example.com', '--password', '-', ...NOTHING],
      `token: nothing is serving the local stack (no ${temp.dir}/none/stack.json): run npm start, and keep it running`,
    );
    expect(readStdin).not.toHaveBeenCalled();
  });

  it('a stack deployed without TokenUse: says so, before reading the password', async () => {
    const readStdin = await usageError(
      token,
      ['a@example.com', '--password', '-', ...OLD_STACK],
      `token: --outputs ${TWO_STACKS} stack ProductionAuth output TokenUse: expected the output of a stack deployed by this version (redeploy it: npx cdk deploy --outputs-file ${TWO_STACKS}), found no such output`,
    );
    expect(readStdin).not.toHaveBeenCalled();
  });

  it('no --password and no terminal to ask at: says to pass --password -', async () => {
    await usageError(
      token,
      ['a@example.com', '--outputs', OUTPUTS_FIXTURE_ARG],
      'token: --password: expected - with the password on standard input (it is not a terminal to ask at), found no --password',
    );
  });

  it.each<[string, string, string]>([
    ['empty', '\n', 'token: --password -: expected a password, found an empty line'],
    ['two lines', 'one\ntwo\n', 'token: --password -: expected one line, found several lines'],
    ['too long', `${'x'.repeat(257)}\n`, 'token: --password -: expected a password of at most 256 characters, found more'],
  ])('a password on standard input that is %s', async (_name, input, message) => {
    await usageError(token, ['a@example.com', '--password', '-', '--outputs', OUTPUTS_FIXTURE_ARG], message, input);
  });

  it('at a terminal, asks with the prompt on stderr; a cancelled prompt is a usage error', async () => {
    const promptSecret = jest.fn(async () => undefined);
    const result = await runMain(token, ['a@example.com', '--outputs', OUTPUTS_FIXTURE_ARG], { promptSecret });
    expect(promptSecret).toHaveBeenCalledWith('Password for a@example.com: ');
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'token: --password: expected a password typed at the prompt, found none (cancelled)\n',
    });
  });

  it('--help: exit 0, the usage on stdout', async () => {
    expect(await runMain(token, ['--help'])).toEqual({ code: 0, stdout: TOKEN_USAGE, stderr: '' });
    expect(TOKEN_USAGE).toMatch(/^Usage: hasura-cognito-token <email> /);
    expect(TOKEN_USAGE).toContain('In a clone of the repository: npm run -s token -- <email> <options>.');
    expect(TOKEN_USAGE).toContain('hasura-cognito-token <email>');
    for (const word of ['--password -', '--all', '--local', '--state-dir', '--outputs', '--stack', 'TOKEN=$(hasura-cognito-token'])
      expect(TOKEN_USAGE).toContain(word);
  });
});

describe('users list: the table', () => {
  const groupRoles = { admins: 'admin', editors: 'editor', leads: 'admin' };

  it('shows each user with their groups and the roles those give, aligned, unmapped groups giving none', () => {
    expect(
      listLines(
        [
          { email: 'alice@example.com', status: 'CONFIRMED', enabled: true, groups: ['admins', 'leads', 'viewers'] },
          { email: 'bob@example.com', status: 'FORCE_CHANGE_PASSWORD', enabled: false, groups: [] },
          { email: 'carol@example.com', status: 'CONFIRMED', enabled: true, groups: ['viewers'] },
        ],
        groupRoles,
      ),
    ).toEqual([
      'EMAIL              STATUS                            GROUPS                HASURA ROLES FROM GROUPS',
      'alice@example.com  CONFIRMED                         admins,leads,viewers  admin',
      'bob@example.com    FORCE_CHANGE_PASSWORD (disabled)  -                     -',
      'carol@example.com  CONFIRMED                         viewers               -',
      'Every signed-in user also has the default role.',
    ]);
  });

  it('escapes what Cognito returns', () => {
    const lines = listLines(
      [{ email: `x${FORGED_LINE}@example.com`, status: 'CONFIRMED', enabled: true, groups: [FORGED_LINE] }],
      groupRoles,
    );
    expectTerminalSafe(`${lines.join('\n')}\n`, lines.length);
    expect(lines[1]).toContain('"x\\u001b]0;pwned\\u0007\\nrole: admin@example.com"');
  });

  it('says so when there are no users', () => {
    expect(listLines([], groupRoles)).toEqual(['No users.']);
  });
});
