/**
 * From `npm start` to a token Hasura accepts, through real processes: npm start serving the real
 * cognito-local and the Lambda host with the deployment bundle; the users and token commands (node
 * + tsx, what `npm run users` / `npm run token` run) finding it through the state file npm start
 * writes; check-token judging each token against the local.env npm start wrote.
 * Each process start costs about a second here, so the assertions are grouped per run.
 */
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { LOCAL_HOST } from '../../bin/local/local-stack';
import { choosePort } from '../../bin/local/ports';
import { EMULATOR_CREDENTIALS } from '../../hasura-config/cognito-target';
import { readLocalStackState } from '../../hasura-config/local-stack-state';

jest.setTimeout(120_000);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const ROOT = path.join(__dirname, '..', '..');
const TSX_CLI = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const NS = 'https://hasura.io/jwt/claims';
const HASURA_CONFIG = { groupRoles: { admins: 'admin', editors: 'editor' } };
const alice = 'alice@example.com';
const bob = 'bob@example.com';
const bobPassword = 'Bob-pass-1234';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a hasura-config CLI as its own process, in the repository (where npm runs scripts). */
function cli(script: 'users' | 'token' | 'check-token', args: readonly string[], input = ''): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [TSX_CLI, path.join('hasura-config', `${script}.ts`), ...args],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

/** The Hasura claims of a local ID token (the emulator's tokens carry them stringified). */
function claimsOf(token: string): Record<string, unknown> {
  const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
  return JSON.parse(payload[NS] as string) as Record<string, unknown>;
}

/** The local stack as the commands see it: what npm start's state file says, and a client of the emulator for the test's own checks. */
let stack: { endpoint: string; userPoolId: string; cognito: CognitoIdentityProviderClient; stop(): Promise<void> };
let work: string;
/** The local target: the state npm start writes (all token needs), and the cdk.json of its groupRoles (users). */
let localState: string[];
let local: string[];
/** The HASURA_GRAPHQL_JWT_SECRET file npm start writes for its pool. */
let envFile: string;

/**
 * npm start, as a person runs it, on this test's own state folder, cdk.json and ports; resolved
 * once it serves. Stopped with Ctrl-C (SIGINT to its process group); `stop` waits until every
 * process writing to its output has gone.
 */
async function startServing(args: string[]): Promise<{ output: () => string; stop(): Promise<void> }> {
  const child = spawn('npm', ['start', '--', ...args], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  let output = '';
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Serving until Ctrl-C.')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    closed.then(() => reject(new Error(`npm start ended before serving:\n${output}`)));
  });
  return {
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGINT');
      await closed;
    },
  };
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'hasura-cognito-users-token-'));
  const cdkJson = path.join(work, 'cdk.json');
  fs.writeFileSync(cdkJson, JSON.stringify({ context: { hasuraCognito: HASURA_CONFIG } }));
  const stateDir = path.join(work, 'state');
  envFile = path.join(work, 'local.env');
  const port = await choosePort(LOCAL_HOST, undefined, 0);
  const lambdaPort = await choosePort(LOCAL_HOST, undefined, 0);
  const served = await startServing([
    ...['--state-dir', stateDir, '--cdk-json', cdkJson, '--out', envFile],
    ...['--port', String(port), '--lambda-port', String(lambdaPort)],
  ]);
  // The commands find the stack through the state npm start wrote; so does the test.
  const state = readLocalStackState(stateDir);
  if (state === undefined) throw new Error(`npm start serves but wrote no state:\n${served.output()}`);
  const cognito = new CognitoIdentityProviderClient({ endpoint: state.endpoint, region: 'local', credentials: EMULATOR_CREDENTIALS });
  stack = {
    endpoint: state.endpoint,
    userPoolId: state.userPoolId,
    cognito,
    stop: async () => {
      cognito.destroy();
      await served.stop();
    },
  };
  localState = ['--local', '--state-dir', stateDir];
  local = [...localState, '--cdk-json', cdkJson];
  // A group the pool has but groupRoles does not map (created outside the stack, as in a console).
  await cognito.send(new CreateGroupCommand({ UserPoolId: state.userPoolId, GroupName: 'viewers' }));
});

afterAll(async () => {
  await stack?.stop();
  if (work !== undefined) fs.rmSync(work, { recursive: true, force: true });
});

/** The token the command prints for `email`, its stdout checked to be exactly that token and a newline. */
async function tokenOf(email: string, password: string): Promise<string> {
  const result = await cli('token', [email, '--password', '-', ...localState], `${password}\n`);
  expect(result).toMatchObject({ code: 0, stderr: '' });
  expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  return result.stdout.trim();
}

/** check-token against local.env: what Hasura does with `token`, asking for `role`. */
function hasura(token: string, role: string): Promise<Run> {
  return cli('check-token', ['--env-file', envFile, '--token', '-', '--token-use', 'id', '--role', role], token);
}

let alicePassword: string;

it('create: a confirmed user in the groups given, the password generated from the pool policy and printed once', async () => {
  const result = await cli('users', ['create', alice, '--group', 'admins', '--group', 'viewers', ...local]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const lines = result.stdout.split('\n');
  expect(lines.slice(0, 3)).toEqual([
    `Created ${alice}: confirmed, email verified, password permanent.`,
    'Group admins grants the Hasura role admin.',
    'Group viewers grants no Hasura role: groupRoles does not map it.',
  ]);
  expect(lines[3]).toMatch(/^Password \(shown only now\): \S{20}$/);
  expect(lines.slice(4)).toEqual(['']);
  alicePassword = lines[3].split(': ')[1];
  expect(result.stdout.split(alicePassword)).toHaveLength(2);
  const user = await stack.cognito.send(new AdminGetUserCommand({ UserPoolId: stack.userPoolId, Username: alice }));
  expect(user.UserStatus).toBe('CONFIRMED');
  expect(user.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'email_verified', Value: 'true' }]));
});

it('create --password -: the password from standard input, not printed; list shows groups and the roles they give', async () => {
  const created = await cli('users', ['create', bob, '--password', '-', ...local], `${bobPassword}\n`);
  expect(created).toEqual({ code: 0, stdout: `Created ${bob}: confirmed, email verified, password permanent.\n`, stderr: '' });
  const listed = await cli('users', ['list', ...local]);
  expect(listed).toEqual({
    code: 0,
    stdout: [
      // npm start's demo users are there too, sorted with the others.
      'EMAIL               STATUS     GROUPS          HASURA ROLES FROM GROUPS',
      'admin@example.com   CONFIRMED  admins          admin',
      `${alice}   CONFIRMED  admins,viewers  admin`,
      `${bob}     CONFIRMED  -               -`,
      'reader@example.com  CONFIRMED  -               -',
      'Every signed-in user also has the default role.',
      '',
    ].join('\n'),
    stderr: '',
  });
});

it('token: the ID token locally, signed in with the generated password; --all prints the three tokens as JSON', async () => {
  const token = await tokenOf(alice, alicePassword);
  expect(claimsOf(token)).toMatchObject({ 'x-hasura-allowed-roles': ['user', 'admin'], 'x-hasura-default-role': 'user' });
  const all = await cli('token', [alice, '--password', '-', '--all', ...localState], alicePassword);
  expect(all).toMatchObject({ code: 0, stderr: '' });
  const tokens = JSON.parse(all.stdout) as Record<string, string>;
  expect(Object.keys(tokens)).toEqual(['idToken', 'accessToken', 'refreshToken']);
  expect(JSON.parse(Buffer.from(tokens.accessToken.split('.')[1], 'base64url').toString()).token_use).toBe('access');
  expect(claimsOf(tokens.idToken)['x-hasura-allowed-roles']).toEqual(['user', 'admin']);
});

it('add-to-group: Hasura refuses the role before, and grants it to the token issued after', async () => {
  const before = await tokenOf(bob, bobPassword);
  const refused = await hasura(before, 'editor');
  expect(refused.code).toBe(1);
  expect(refused.stdout).toContain('Your requested role is not in allowed roles');

  const added = await cli('users', ['add-to-group', bob, 'editors', ...local]);
  expect(added).toEqual({
    code: 0,
    stdout: `Added ${bob} to group editors; tokens issued from now on carry it.\nGroup editors grants the Hasura role editor.\n`,
    stderr: '',
  });
  const after = await tokenOf(bob, bobPassword);
  const accepted = await hasura(after, 'editor');
  expect(accepted.stderr).toBe('');
  expect(accepted.code).toBe(0);
  expect(accepted.stdout).toContain('role: editor\n');
});

it('remove-from-group and delete', async () => {
  const removed = await cli('users', ['remove-from-group', bob, 'editors', ...local]);
  expect(removed).toEqual({
    code: 0,
    stdout: `Removed ${bob} from group editors; tokens issued before keep its role until they expire.\n`,
    stderr: '',
  });
  const groups = await stack.cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: stack.userPoolId, Username: bob }));
  expect(groups.Groups).toEqual([]);
  const deleted = await cli('users', ['delete', bob, ...local]);
  expect(deleted).toEqual({ code: 0, stdout: `Deleted ${bob}; tokens issued before stay valid until they expire.\n`, stderr: '' });
  await expect(stack.cognito.send(new AdminGetUserCommand({ UserPoolId: stack.userPoolId, Username: bob }))).rejects.toMatchObject({
    name: 'UserNotFoundException',
  });
});

it('bad input: exit 2 for arguments, exit 1 for what Cognito refuses; one line on stderr, nothing on stdout', async () => {
  const cases: [Promise<Run>, number, string][] = [
    [
      cli('users', ['create', 'alice@', ...local]),
      2,
      'users: create <email>: expected an email address such as alice@example.com, found "alice@"\n',
    ],
    [
      cli('users', ['add-to-group', alice, ...local]),
      2,
      'users: add-to-group <group>: expected the arguments add-to-group <email> <group>, found nothing\n',
    ],
    [
      cli('token', [alice, '--password', '-']),
      2,
      'token: target: expected one target: --local (the stack npm start serves) or --outputs FILE [--stack NAME] (a deployed stack), found neither\n',
    ],
    [
      cli('token', [alice, '--password', '-', ...localState], 'Wrong-pass-123\n'),
      1,
      'token: sign-in (USER_PASSWORD_AUTH): InvalidPasswordException: Invalid password\n',
    ],
    [
      cli('token', ['nobody@example.com', '--password', '-', ...localState], 'Wrong-pass-123\n'),
      1,
      'token: sign-in (USER_PASSWORD_AUTH): NotAuthorizedException: User not authorized\n',
    ],
    [cli('users', ['delete', 'nobody@example.com', ...local]), 1, 'users: AdminDeleteUser: UserNotFoundException: User does not exist\n'],
    [
      cli('users', ['add-to-group', alice, 'nope', ...local]),
      1,
      `users: GetGroup nope: ResourceNotFoundException: user pool ${stack.userPoolId} has no group nope (the stack creates one per groupRoles entry)\n`,
    ],
    [
      cli('users', ['create', 'dave@example.com', '--password', '-', ...local], 'short\n'),
      2,
      'users: --password -: expected a password the pool accepts (at least 12 characters, with a lower-case letter, an upper-case letter, a digit and a special character), found 5 characters\n',
    ],
  ];
  const results = await Promise.all(cases.map(([run]) => run));
  expect(results).toEqual(cases.map(([, code, stderr]) => ({ code, stdout: '', stderr })));
  // The refused password left no user behind.
  await expect(
    stack.cognito.send(new AdminGetUserCommand({ UserPoolId: stack.userPoolId, Username: 'dave@example.com' })),
  ).rejects.toMatchObject({
    name: 'UserNotFoundException',
  });
});

it('--local with the state file present but the emulator stopped: exit 2, saying to run npm start', async () => {
  await stack.stop();
  const result = await cli('users', ['list', ...local]);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(
    new RegExp(
      `^users: nothing is serving the local stack \\(no answer from ${stack.endpoint}/health: .+\\): run npm start, and keep it running\\n$`,
    ),
  );
});
