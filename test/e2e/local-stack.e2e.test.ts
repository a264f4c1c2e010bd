/**
 * End to end through a real token pipeline on this machine: cognito-local issues RS256 tokens,
 * calling the deployment bundle of the trigger through the Lambda Invoke API; aws-jwt-verify checks
 * the signatures; checkToken (the function behind check-token and npm start) says what Hasura would
 * do with each token, under the config poolTargetFromIds builds for the emulator's pool.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { LOCAL_ENV_MARKER } from '../../bin/local/local-env-file';
import { LOCAL_HOST, type LocalStack, startLocalStack } from '../../bin/local/local-stack';
import { choosePort } from '../../bin/local/ports';
import { main as checkTokenMain } from '../../hasura-config/check-token';
import { render } from '../../hasura-config/formats';
import { readLocalStackState } from '../../hasura-config/local-stack-state';
import { generatePassword, projectPasswordPolicy } from '../../hasura-config/password';
import { poolTargetFromIds } from '../../hasura-config/pool-target';
import { checkToken, type TokenCheck } from '../../hasura-config/token-check';
import { httpAndHttpsFetcher } from '../../hasura-config/verify-signature';
import { parseStackConfig } from '../../lib/stack-config';

jest.setTimeout(60_000);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const NS = 'https://hasura.io/jwt/claims';
const config = parseStackConfig({
  customAttributes: ['custom:org_id'],
  groupRoles: { admins: 'admin' },
  sessionVariables: { 'x-hasura-org-id': 'custom:org_id' },
});
const reader = { email: 'reader@example.com', password: generatePassword(projectPasswordPolicy(12)) };
const admin = { email: 'admin@example.com', password: generatePassword(projectPasswordPolicy(12)) };

let stack: LocalStack;
/** The state folders of the stacks started here (never the repository's .local-stack). */
let stateRoot: string;

beforeAll(async () => {
  stateRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hasura-cognito-state-'));
  stack = await startLocalStack({
    config,
    stateDir: path.join(stateRoot, 'main'),
    cognitoPort: await choosePort(LOCAL_HOST, undefined, 0),
    lambdaPort: await choosePort(LOCAL_HOST, undefined, 0),
  });
  await stack.createUser({ ...reader, attributes: { 'custom:org_id': 'org-reader' } });
  await stack.createUser({ ...admin, groups: ['admins'], attributes: { 'custom:org_id': 'org-admin' } });
});

afterAll(async () => {
  await stack?.stop();
  fs.rmSync(stateRoot, { recursive: true, force: true });
});

/** What Hasura does with `token` under the config npm start writes for the pool's app client. */
function hasura(token: string, role?: string): Promise<TokenCheck> {
  return checkToken({ ...poolTargetFromIds(stack, [stack.clientId], stack.claims), token, role });
}

function verifier(clientId = stack.clientId) {
  const issuer = `${stack.endpoint}/${stack.userPoolId}`;
  return JwtRsaVerifier.create(
    { issuer, jwksUri: `${issuer}/.well-known/jwks.json`, audience: clientId },
    { jwksCache: new SimpleJwksCache({ fetcher: httpAndHttpsFetcher }) },
  );
}

it('signs the plain user in with only the default role, in a verifiable ID token', async () => {
  const tokens = await stack.signIn(reader.email, reader.password);
  const payload = await verifier().verify(tokens.IdToken!);
  expect(JSON.parse(payload[NS] as string)).toEqual({
    'x-hasura-allowed-roles': ['user'],
    'x-hasura-default-role': 'user',
    'x-hasura-user-id': payload.sub,
    'x-hasura-org-id': 'org-reader',
  });
  expect(await hasura(tokens.IdToken!)).toEqual({
    ok: true,
    role: 'user',
    sessionVariables: { 'x-hasura-role': 'user', 'x-hasura-user-id': payload.sub, 'x-hasura-org-id': 'org-reader' },
  });
  expect(await hasura(tokens.IdToken!, 'admin')).toMatchObject({
    ok: false,
    code: 'access-denied',
    message: 'Your requested role is not in allowed roles',
  });
});

it('gives the grouped user the mapped role too, from the groups the emulator holds', async () => {
  const tokens = await stack.signIn(admin.email, admin.password);
  const payload = await verifier().verify(tokens.IdToken!);
  expect(JSON.parse(payload[NS] as string)['x-hasura-allowed-roles']).toEqual(['user', 'admin']);
  expect(await hasura(tokens.IdToken!)).toMatchObject({ ok: true, role: 'user' });
  expect(await hasura(tokens.IdToken!, 'admin')).toEqual({
    ok: true,
    role: 'admin',
    sessionVariables: { 'x-hasura-role': 'admin', 'x-hasura-user-id': payload.sub, 'x-hasura-org-id': 'org-admin' },
  });
});

it("check-token --env-file accepts the grouped user's ID token against the env file written for the pool", async () => {
  const tokens = await stack.signIn(admin.email, admin.password);
  const target = poolTargetFromIds(stack, [stack.clientId], stack.claims);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hasura-cognito-env-file-'));
  try {
    const file = path.join(dir, 'local.env');
    fs.writeFileSync(
      file,
      `${LOCAL_ENV_MARKER}\n${render('env', { secret: target.secret, userPoolId: stack.userPoolId, tokenUse: 'id' })}`,
    );
    let stdout = '';
    let stderr = '';
    const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t) };
    const code = await checkTokenMain(['--env-file', file, '--token', tokens.IdToken!, '--token-use', 'id', '--role', 'admin'], io);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^Hasura accepts this token\.\nrole: admin\n/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it('rejects, by the audience check, a token issued to another app client of the pool', async () => {
  const otherClient = await stack.createClient('some-other-app');
  const tokens = await stack.signIn(reader.email, reader.password, otherClient);
  await expect(verifier(otherClient).verify(tokens.IdToken!)).resolves.toBeDefined();
  expect(await hasura(tokens.IdToken!)).toMatchObject({
    ok: false,
    code: 'invalid-jwt',
    message: 'Could not verify JWT: JWTNotInAudience',
  });
});

it('gives the same claims after a refresh (REFRESH_TOKEN_AUTH)', async () => {
  const first = await stack.signIn(admin.email, admin.password);
  const refreshed = await stack.refresh(first.RefreshToken!);
  const before = await verifier().verify(first.IdToken!);
  const after = await verifier().verify(refreshed.IdToken!);
  expect(after.jti).not.toBe(before.jti);
  expect(after[NS]).toBe(before[NS]);
});

describe('npm start', () => {
  const ROOT = path.join(__dirname, '..', '..');
  const start = path.join(ROOT, 'bin', 'start.ts');
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hasura-cognito-start-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const freePorts = async () => [
    '--port',
    String(await choosePort(LOCAL_HOST, undefined, 0)),
    '--lambda-port',
    String(await choosePort(LOCAL_HOST, undefined, 0)),
  ];

  /** As the "start" script runs it: one node process with the TypeScript loader; its state in this test's folder. */
  function runStart(args: string[], env: NodeJS.ProcessEnv = {}) {
    return spawnSync(process.execPath, ['--require', 'tsx/cjs', start, '--state-dir', path.join(dir, 'state'), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 45_000,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    });
  }

  it('--once runs the whole flow, writes the Hasura config and exits 0', async () => {
    const out = path.join(dir, 'local.env');
    const result = runStart(['--once', ...(await freePorts()), '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('reader@example.com');
    expect(result.stdout).toMatch(/x-hasura-role: admin:\n\s+Hasura accepts this token\.\n\s+role: admin/);
    // Exactly the generator's env output for the pool and app client it printed, after the marker line.
    const [, endpoint, userPoolId, clientId] = /^cognito-local\s+(\S+) \(user pool (\S+), app client (\S+)\)$/m.exec(result.stdout)!;
    const target = poolTargetFromIds({ region: 'local', userPoolId, endpoint }, [clientId], {
      namespace: NS,
      claimsFormat: 'stringified_json',
      tokenUse: 'id',
    });
    const env = fs.readFileSync(out, 'utf8');
    expect(env).toBe(`${LOCAL_ENV_MARKER}\n${render('env', { secret: target.secret, userPoolId, tokenUse: 'id' })}`);
    expect(env).toMatch(/^HASURA_GRAPHQL_JWT_SECRET='\{.*"issuer":"http:\/\/127\.0\.0\.1:\d+\/local_\w+".*\}'$/m);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
  });

  it('says the local tokens are forgeable, and suggests a Hasura listening on 127.0.0.1 only', async () => {
    const result = runStart(['--once', ...(await freePorts()), '--out', path.join(dir, 'local.env')]);
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^Local tokens are forgeable by anyone/);
    const docker = result.stdout.split('\n').find((line) => line.includes('docker run'));
    expect(docker).toContain('--network host -e HASURA_GRAPHQL_SERVER_HOST=127.0.0.1');
  });

  it('prints group and role names from cdk.json escaped', async () => {
    const cdkJson = path.join(dir, 'cdk.json');
    const [group, role] = ['ad\u202emins', 'ad\u001b[31mmin'];
    fs.writeFileSync(cdkJson, JSON.stringify({ context: { hasuraCognito: { groupRoles: { [group]: role } } } }));
    const result = runStart(['--once', ...(await freePorts()), '--cdk-json', cdkJson, '--out', path.join(dir, 'local.env')]);
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toContain(
      `admin@example.com  password ${/password (\S+)/.exec(lines.find((l) => l.startsWith('admin@'))!)![1]}  groups "ad\\u202emins"`,
    );
    expect(lines).toContain('  Hasura with x-hasura-role: "ad\\u001b[31mmin":');
  });

  it('replaces the file it wrote on the previous run', async () => {
    const out = path.join(dir, 'local.env');
    fs.writeFileSync(out, `${LOCAL_ENV_MARKER}\nHASURA_GRAPHQL_JWT_SECRET='{"from":"the previous run"}'\n`);
    const result = runStart(['--once', ...(await freePorts()), '--out', out]);
    expect(result.status).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/"issuer":"http:\/\/127\.0\.0\.1:\d+\/local_\w+"/);
  });

  it('refuses to replace a file it did not write, before starting anything', async () => {
    const out = path.join(dir, 'hasura.env');
    const mine =
      '# HASURA_GRAPHQL_JWT_SECRET for my AWS pool\nHASURA_GRAPHQL_JWT_SECRET=\'{"jwk_url":"https://cognito-idp.eu-west-1.amazonaws.com/x"}\'\n';
    fs.writeFileSync(out, mine, { mode: 0o600 });
    const before = fs.statSync(out);
    // Its own temporary directory: a stack that started would have made its work directory there, before any process.
    const tmp = fs.mkdtempSync(path.join(dir, 'tmp-'));
    const ports = await freePorts();
    const result = runStart(['--once', ...ports, '--out', out], { TMPDIR: tmp });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      `npm start: --out ${out}: expected no file, a file npm start wrote, or --force, found a file npm start did not write`,
    ]);
    expect(result.stdout).toBe('');
    expect(fs.readFileSync(out, 'utf8')).toBe(mine);
    expect(fs.statSync(out).mtimeMs).toBe(before.mtimeMs);
    expect(fs.readdirSync(tmp).filter((name) => name.startsWith('hasura-cognito-local-'))).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'state'))).toBe(false);
    for (const port of [Number(ports[1]), Number(ports[3])]) await expect(choosePort(LOCAL_HOST, port, port)).resolves.toBe(port);
  });

  it.each([['--help'], ['-h']])('npm start -- %s prints the usage and exits 0', (flag) => {
    const result = spawnSync('npm', ['start', '--silent', '--', flag], { cwd: ROOT, encoding: 'utf8', timeout: 45_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm start -- \[--once\]/);
    expect(result.stdout).toContain('--force');
  });

  it('stops before starting anything when the config is invalid, naming the field', () => {
    const cdkJson = path.join(dir, 'cdk.json');
    fs.writeFileSync(cdkJson, JSON.stringify({ context: { hasuraCognito: { groupRoles: { admins: '' } } } }));
    const result = runStart(['--once', '--cdk-json', cdkJson, '--out', path.join(dir, 'local.env')]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(
      'npm start: hasuraCognito.groupRoles.admins: expected a role name of 1-128 characters without surrounding spaces, found ""',
    );
    expect(result.stdout).not.toContain('cognito-local');
    expect(fs.existsSync(path.join(dir, 'local.env'))).toBe(false);
  });

  it('reports a port that cannot be bound instead of retrying', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, LOCAL_HOST, resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const result = runStart(['--once', '--port', String(taken), '--out', path.join(dir, 'local.env')]);
      expect(result.status).toBe(1);
      expect(result.stderr.trim()).toBe(`npm start: Port ${taken} on 127.0.0.1 cannot be used: EADDRINUSE.`);
    } finally {
      blocker.close();
    }
  });

  it('rejects a bad argument with one line and exit code 2', () => {
    const result = runStart(['--port', 'eighty']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual(['npm start: --port: expected a port from 1 to 65535, found "eighty"']);
  });
});

it('leaves no process, port or temporary directory behind, and keeps the state', async () => {
  const extra = await startLocalStack({
    config,
    stateDir: path.join(stateRoot, 'extra'),
    cognitoPort: await choosePort(LOCAL_HOST, undefined, 0),
    lambdaPort: await choosePort(LOCAL_HOST, undefined, 0),
  });
  const ports = [Number(new URL(extra.endpoint).port), extra.lambdaPort];
  await extra.stop();
  for (const pid of extra.pids) expect(() => process.kill(pid, 0)).toThrow();
  for (const port of ports) await expect(choosePort(LOCAL_HOST, port, port)).resolves.toBe(port);
  expect(fs.existsSync(extra.tempDir)).toBe(false);
  expect(readLocalStackState(extra.stateDir)).toMatchObject({
    endpoint: extra.endpoint,
    userPoolId: extra.userPoolId,
    clientId: extra.clientId,
  });
});
