/**
 * `npm start` keeps the local stack in its state folder: a restart serves the same pool, app
 * client, users and groups on the same port, so hasura-config/local.env stays as it was; `--reset`
 * starts over. Real processes throughout: npm start as the "start" script runs it, the real
 * cognito-local on its data, real signals. One state folder of this test's own (never the
 * repository's .local-stack), used by the cases in order.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetGroupCommand, ListGroupsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { LOCAL_HOST, type LocalStack, startLocalStack } from '../../bin/local/local-stack';
import { choosePort } from '../../bin/local/ports';
import { type LocalStackState, readLocalStackState } from '../../hasura-config/local-stack-state';
import { GENERATED_PASSWORD } from '../../hasura-config/password';
import { parseStackConfig } from '../../lib/stack-config';

jest.setTimeout(90_000);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const ROOT = path.join(__dirname, '..', '..');
const START = path.join(ROOT, 'bin', 'start.ts');
const NS = 'https://hasura.io/jwt/claims';
const CONTEXT = {
  customAttributes: ['custom:org_id'],
  groupRoles: { admins: 'admin' },
  sessionVariables: { 'x-hasura-org-id': 'custom:org_id' },
};

let dir: string;
let stateDir: string;
let out: string;
let cdkJson: string;
/** The first start's state, and the emulator port it keeps. */
let first: LocalStackState;
let port: number;
/** The Lambda host's port for the cases that do not choose one. */
let lambdaPort: number;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hasura-cognito-local-state-'));
  stateDir = path.join(dir, 'state');
  out = path.join(dir, 'local.env');
  cdkJson = writeCdkJson('cdk.json', CONTEXT);
  port = await freePort();
  lambdaPort = await freePort();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeCdkJson(name: string, hasuraCognito: object): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify({ context: { hasuraCognito } }));
  return file;
}

const freePort = () => choosePort(LOCAL_HOST, undefined, 0);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * npm start as the "start" script runs it (one node process with the TypeScript loader), on this
 * test's state folder. The Lambda host gets a port of its own unless the case names one: the
 * default 9230 is the README test's, which runs npm start as written, at the same time.
 */
function startProcess(args: string[], state = stateDir): ChildProcess {
  const lambda = args.includes('--lambda-port') ? [] : ['--lambda-port', String(lambdaPort)];
  return spawn(process.execPath, ['--require', 'tsx/cjs', START, '--state-dir', state, '--out', out, ...lambda, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
}

/** Runs npm start to its end. */
function runStart(args: string[], state = stateDir): Promise<Run> {
  const child = startProcess(args, state);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

/** The ids npm start printed. */
function printedIds(stdout: string): { endpoint: string; userPoolId: string; clientId: string } {
  const match = /^cognito-local\s+(\S+) \(user pool (\S+), app client (\S+)\)$/m.exec(stdout);
  if (!match) throw new Error(`no cognito-local line in:\n${stdout}`);
  return { endpoint: match[1], userPoolId: match[2], clientId: match[3] };
}

/** The password printed on a demo user's line, if any. */
const printedPassword = (stdout: string, email: string) =>
  new RegExp(`^${email.replace('.', '\\.')}  password (\\S+)`, 'm').exec(stdout)?.[1];

/** The reused stack, started in-process on the state as npm start left it, with the config of `file`. */
async function reopen(file = cdkJson): Promise<LocalStack> {
  const hasuraCognito = JSON.parse(fs.readFileSync(file, 'utf8')).context.hasuraCognito;
  return startLocalStack({
    config: parseStackConfig(hasuraCognito),
    stateDir,
    state: readLocalStackState(stateDir),
    lambdaPort: await freePort(),
  });
}

/** The Hasura claims of an ID token (the emulator's: stringified JSON). */
function hasuraClaims(idToken: string): Record<string, unknown> {
  const payload = JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString('utf8'));
  return JSON.parse(payload[NS]);
}

const extra = { email: 'extra@example.com', password: 'Extra-user-password-1' };

it('a first start provisions the pool, shows the demo passwords once, and keeps the state for the next start', async () => {
  const result = await runStart(['--once', '--cdk-json', cdkJson, '--port', String(port), '--lambda-port', String(await freePort())]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const state = readLocalStackState(stateDir);
  expect(state).toEqual({ version: 1, ...printedIds(result.stdout) });
  first = state!;
  expect(first.endpoint).toBe(`http://${LOCAL_HOST}:${port}`);
  expect(printedPassword(result.stdout, 'reader@example.com')).toMatch(GENERATED_PASSWORD);
  expect(printedPassword(result.stdout, 'admin@example.com')).toMatch(GENERATED_PASSWORD);
  expect(result.stdout).toContain(`State              ${stateDir} (new: the next npm start reuses this pool; --reset starts over)`);
  expect(result.stdout.trim().split('\n').at(-1)).toBe(
    `The pool stays in ${stateDir} for the next npm start (npm start -- --reset starts over).`,
  );
  expect(fs.statSync(path.join(stateDir, 'demo-users.json')).mode & 0o777).toBe(0o600);
  expect(fs.readFileSync(out, 'utf8')).toContain(`"issuer":"${first.endpoint}/${first.userPoolId}"`);
});

it('keeps a user created in the pool, with its group, across a stop', async () => {
  const stack = await reopen();
  try {
    await stack.createUser({ ...extra, groups: ['admins'], attributes: { 'custom:org_id': 'org-extra' } });
  } finally {
    await stack.stop();
  }
});

it('a restart reuses the pool on its port: same ids, local.env untouched, users sign in, no password shown again', async () => {
  const before = { text: fs.readFileSync(out, 'utf8'), mtimeMs: fs.statSync(out).mtimeMs };
  const result = await runStart(['--once', '--cdk-json', cdkJson, '--lambda-port', String(await freePort())]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(printedIds(result.stdout)).toEqual({ endpoint: first.endpoint, userPoolId: first.userPoolId, clientId: first.clientId });
  expect(readLocalStackState(stateDir)).toEqual(first);
  expect(result.stdout).toContain(`State              ${stateDir} (reused: the pool, app client, users and groups of an earlier start)`);
  expect(result.stdout).toContain(`Hasura config      ${out} (HASURA_GRAPHQL_JWT_SECRET, unchanged)`);
  expect(fs.readFileSync(out, 'utf8')).toBe(before.text);
  expect(fs.statSync(out).mtimeMs).toBe(before.mtimeMs);
  // The demo users are not created again, and their passwords are not printed again...
  expect(printedPassword(result.stdout, 'reader@example.com')).toBeUndefined();
  expect(printedPassword(result.stdout, 'admin@example.com')).toBeUndefined();
  expect(result.stdout).toMatch(/^reader@example\.com {2}no group$/m);
  expect(result.stdout).toMatch(/^admin@example\.com {2}groups admins$/m);
  // ...yet they still sign in, and Hasura still takes the grouped user's token with the mapped role.
  expect(result.stdout).toMatch(/x-hasura-role: admin:\n\s+Hasura accepts this token\.\n\s+role: admin/);
  expect(result.stdout.trim().split('\n').at(-1)).toBe(
    `The pool stays in ${stateDir} for the next npm start (npm start -- --reset starts over).`,
  );

  const stack = await reopen();
  try {
    const tokens = await stack.signIn(extra.email, extra.password);
    expect(hasuraClaims(tokens.IdToken!)).toMatchObject({ 'x-hasura-allowed-roles': ['user', 'admin'], 'x-hasura-org-id': 'org-extra' });
  } finally {
    await stack.stop();
  }
});

it('a restart brings to the kept pool the groups and custom attributes cdk.json added since, keeping the others', async () => {
  const changed = writeCdkJson('cdk-changed.json', {
    ...CONTEXT,
    customAttributes: ['custom:org_id', 'custom:team'],
    groupRoles: { admins: 'admin', editors: 'editor' },
    sessionVariables: { 'x-hasura-org-id': 'custom:org_id', 'x-hasura-team': 'custom:team' },
  });
  const before = fs.readFileSync(out, 'utf8');
  const result = await runStart(['--once', '--cdk-json', changed]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(printedIds(result.stdout).userPoolId).toBe(first.userPoolId);
  expect(result.stdout).toContain('  from cdk.json:   added the custom attribute custom:team\n');
  expect(result.stdout).toContain('  from cdk.json:   created the group editors\n');
  expect(fs.readFileSync(out, 'utf8')).toBe(before);

  const stack = await reopen(changed);
  try {
    const groups = await stack.cognito.send(new ListGroupsCommand({ UserPoolId: first.userPoolId }));
    expect(groups.Groups?.map((g) => g.GroupName).sort()).toEqual(['admins', 'editors']);
    const editors = await stack.cognito.send(new GetGroupCommand({ UserPoolId: first.userPoolId, GroupName: 'editors' }));
    expect(editors.Group?.Precedence).toBe(1);
    // The new attribute is in the pool: a user can hold it, and the Lambda host runs the new claims.
    await stack.createUser({
      email: 'editor@example.com',
      password: extra.password,
      groups: ['editors'],
      attributes: { 'custom:team': 'blue' },
    });
    const tokens = await stack.signIn('editor@example.com', extra.password);
    expect(hasuraClaims(tokens.IdToken!)).toMatchObject({ 'x-hasura-allowed-roles': ['user', 'editor'], 'x-hasura-team': 'blue' });
  } finally {
    await stack.stop();
  }
  // Nothing left to bring in: a further start changes nothing.
  const again = await runStart(['--once', '--cdk-json', changed]);
  expect(again.status).toBe(0);
  expect(again.stdout).not.toContain('from cdk.json:');
});

it('stops with one line naming the port when the state port is taken, instead of moving and invalidating local.env', async () => {
  const before = fs.readFileSync(out, 'utf8');
  // Another program on the port, which hangs up on whoever connects. (A fetch to such a port can stay
  // pending with nothing to keep Node running: npm start must still end with its message.)
  const blocker = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => blocker.listen(port, LOCAL_HOST, resolve));
  let result: Run;
  try {
    result = await runStart(['--once', '--cdk-json', cdkJson]);
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
  }
  expect(result.status).toBe(2);
  expect(result.stderr.trim().split('\n')).toEqual([
    `npm start: port ${port} of the local stack in ${stateDir}: expected a free port, kept because every token's issuer names it, ` +
      'found it taken (EADDRINUSE): stop what holds it, or npm start -- --reset starts over on another port',
  ]);
  expect(result.stdout).toBe('');
  expect(fs.readFileSync(out, 'utf8')).toBe(before);
  expect(readLocalStackState(stateDir)).toEqual(first);
});

it("refuses a --port other than the state's, with one line", async () => {
  const other = await freePort();
  const result = await runStart(['--once', '--cdk-json', cdkJson, '--port', String(other)]);
  expect(result.status).toBe(2);
  expect(result.stderr.trim().split('\n')).toEqual([
    `npm start: --port: expected ${port}, the port of the local stack in ${stateDir} ` +
      `(npm start -- --reset --port ${other} starts over on that port), found ${other}`,
  ]);
  expect(result.stdout).toBe('');
});

it('refuses to start a second time on a state another npm start serves, and refuses --reset of it', async () => {
  const serving = startProcess(['--cdk-json', cdkJson, '--lambda-port', String(await freePort())]);
  let output = '';
  const exited = new Promise((resolve) => serving.once('close', resolve));
  await new Promise<void>((resolve, reject) => {
    serving.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Serving until Ctrl-C.')) resolve();
    });
    serving.once('exit', (code) => reject(new Error(`npm start exited (${code}) before serving:\n${output}`)));
  });
  try {
    const second = await runStart(['--once', '--cdk-json', cdkJson]);
    expect(second.status).toBe(2);
    expect(second.stderr.trim().split('\n')).toEqual([
      `npm start: port ${port} of the local stack in ${stateDir}: expected a free port, kept because every token's issuer names it, ` +
        'found another npm start serving it (stop that one first)',
    ]);
    const reset = await runStart(['--once', '--reset', '--cdk-json', cdkJson]);
    expect(reset.status).toBe(2);
    expect(reset.stderr.trim().split('\n')).toEqual([
      `npm start: --reset: expected the local stack in ${stateDir} stopped first, found an npm start serving it on port ${port}`,
    ]);
    expect(readLocalStackState(stateDir)).toEqual(first);
  } finally {
    serving.kill('SIGINT');
    await exited;
  }
  expect(output).toContain('Stopped: every process this run started has exited.');
});

it('names a state file that is not what npm start writes, and says --reset starts over', async () => {
  const file = path.join(stateDir, 'stack.json');
  const kept = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, '{"version":1,');
  try {
    const result = await runStart(['--once', '--cdk-json', cdkJson]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      `npm start: ${file}: expected the JSON npm start writes (npm start -- --reset starts over), found text that is not JSON`,
    ]);
    expect(result.stdout).toBe('');
  } finally {
    fs.writeFileSync(file, kept);
  }
});

it("says so when the emulator's data of the pool is gone, naming the file", async () => {
  const file = path.join(stateDir, 'cognito-local', '.cognito', 'db', `${first.userPoolId}.json`);
  fs.renameSync(file, `${file}.aside`);
  try {
    const result = await runStart(['--once', '--cdk-json', cdkJson]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      `npm start: ${file}: expected the emulator's data for the pool ${path.join(stateDir, 'stack.json')} names ` +
        '(npm start -- --reset starts over), found no such file',
    ]);
  } finally {
    fs.renameSync(`${file}.aside`, file);
  }
});

it('--reset starts over: a new pool and client, new demo passwords shown, local.env rewritten for them', async () => {
  const newPort = await freePort();
  const result = await runStart(['--once', '--reset', '--cdk-json', cdkJson, '--port', String(newPort)]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(result.stdout).toContain(`--reset: deleted the local stack in ${stateDir} (user pool ${first.userPoolId}).`);
  const ids = printedIds(result.stdout);
  expect(ids.endpoint).toBe(`http://${LOCAL_HOST}:${newPort}`);
  expect(ids.userPoolId).not.toBe(first.userPoolId);
  expect(ids.clientId).not.toBe(first.clientId);
  expect(readLocalStackState(stateDir)).toEqual({ version: 1, ...ids });
  expect(fs.readdirSync(path.join(stateDir, 'cognito-local', '.cognito', 'db')).sort()).toEqual(['clients.json', `${ids.userPoolId}.json`]);
  expect(printedPassword(result.stdout, 'admin@example.com')).toMatch(GENERATED_PASSWORD);
  expect(fs.readFileSync(out, 'utf8')).toContain(`"issuer":"${ids.endpoint}/${ids.userPoolId}"`);
});

it('uses, and deletes with --reset, only a folder it made', async () => {
  const mine = path.join(dir, 'mine');
  fs.mkdirSync(mine);
  fs.writeFileSync(path.join(mine, 'notes.txt'), 'keep me');
  for (const args of [['--once'], ['--once', '--reset']]) {
    const result = await runStart([...args, '--cdk-json', cdkJson], mine);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      `npm start: --state-dir ${mine}: expected a folder npm start made for its state (only stack.json, cognito-local, demo-users.json), ` +
        'or none, found other entries: notes.txt',
    ]);
    expect(fs.readdirSync(mine)).toEqual(['notes.txt']);
  }
});
