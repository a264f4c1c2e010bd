/**
 * The CLIs as real processes (node + tsx, what `npm run hasura-config` / `npm run check-token`
 * run), to prove the exit codes and streams (the package's bins, which run the compiled code, are
 * run from an installed tarball in test/e2e/package.e2e.test.ts). The JWKS for the
 * accepted token comes from an http server on 127.0.0.1 in this test process (--endpoint mode).
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  CLIENT_ID,
  expectTerminalSafe,
  FORGED_LINE,
  HIDDEN_CHARACTERS,
  issueTokens,
  makeSigningKey,
  OUTPUTS_FIXTURE_ARG,
  REGION,
  REPO_ROOT,
} from './helpers';

const TSX_CLI = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

function runProcess(args: string[], input = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(input);
  });
}
const tsx = (script: string, argv: string[], input?: string) => runProcess([TSX_CLI, join('hasura-config', script), ...argv], input);

describe('hasura-config as a process', () => {
  it('exits 0 and prints the JSON', async () => {
    const result = await tsx('generate.ts', ['--outputs', OUTPUTS_FIXTURE_ARG, '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).issuer).toBe('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE');
  });

  it('exits 2 with one line on stderr for a bad region', async () => {
    const result = await tsx('generate.ts', ['--region', 'Virginia', '--user-pool-id', 'us-east-1_EXAMPLE', '--client-id', CLIENT_ID]);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'hasura-config: --region: expected an AWS region such as us-east-1, found "Virginia"\n',
    });
  });
});

describe('the CLIs load no CDK', () => {
  // aws-cdk-lib costs about a second to load; the CLIs share only CDK-free modules with lib/.
  it('neither aws-cdk-lib nor constructs is loaded by hasura-config, check-token, users or token', async () => {
    const script = [
      "require('tsx/cjs');",
      "require('./hasura-config/generate');",
      "require('./hasura-config/check-token');",
      "require('./hasura-config/users');",
      "require('./hasura-config/token');",
      'process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((f) => /node_modules[\\\\/](aws-cdk-lib|constructs)[\\\\/]/.test(f))));',
    ].join('\n');
    const result = await runProcess(['-e', script]);
    expect(result).toEqual({ code: 0, stdout: '[]', stderr: '' });
  });
});

describe('users and token load the AWS SDK only once their arguments are good', () => {
  // The SDK and the SRP library take longer to load than the rest of the command: --help and a usage
  // error answer without them. The control: a good command line does load them.
  it('--help and a usage error load neither @aws-sdk nor amazon-cognito-identity-js; a good command line does', async () => {
    const loaded =
      'Object.keys(require.cache).filter((f) => /node_modules[\\\\/](@aws-sdk|amazon-cognito-identity-js)[\\\\/]/.test(f)).length';
    const script = [
      "require('tsx/cjs');",
      "const users = require('./hasura-config/users');",
      "const token = require('./hasura-config/token');",
      'const io = { stdout() {}, stderr() {} };',
      '(async () => {',
      "  const codes = [await users.main(['--help'], io), await token.main(['--help'], io), await users.main(['list'], io)];",
      `  const before = ${loaded};`,
      "  codes.push(await token.main(['a@example.com', '--local', '--state-dir', 'no-such-state-dir'], io));",
      `  process.stdout.write(JSON.stringify({ codes, before, after: ${loaded} > 0 }));`,
      '})();',
    ].join('\n');
    const result = await runProcess(['-e', script]);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ codes: [0, 0, 2, 2], before: 0, after: true });
  });
});

describe('check-token as a process', () => {
  let server: Server;
  let endpoint: string;
  const key = makeSigningKey('local-key');
  const pool = 'local_EXAMPLE1';
  // Its key's `use` holds escapes: aws-jwt-verify quotes it in an error check-token does not expect.
  const hostilePool = 'local_HOSTILE1';

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === `/${pool}/.well-known/jwks.json`) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ keys: [key.jwk] }));
      } else if (request.url === `/${hostilePool}/.well-known/jwks.json`) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ keys: [{ ...key.jwk, use: `sig${FORGED_LINE}${HIDDEN_CHARACTERS}` }] }));
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const poolArgs = () => ['--region', REGION, '--user-pool-id', pool, '--client-id', CLIENT_ID, '--endpoint', endpoint];

  it('exits 0 for a token Hasura accepts (JWKS over http)', async () => {
    const { accessToken } = await issueTokens({ key, now: Date.now() / 1000, issuer: `${endpoint}/${pool}` });
    const result = await tsx('check-token.ts', [...poolArgs(), '--token', accessToken, '--role', 'admin']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('role: admin\n');
  });

  it('reads the token from a pipe with --token -', async () => {
    const { accessToken } = await issueTokens({ key, now: Date.now() / 1000, issuer: `${endpoint}/${pool}` });
    const result = await tsx('check-token.ts', [...poolArgs(), '--token', '-'], `${accessToken}\n`);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('role: user\n');
  });

  it('exits 1 for a token Hasura refuses', async () => {
    const { idToken } = await issueTokens({ key, now: Date.now() / 1000, issuer: `${endpoint}/${pool}` });
    const result = await tsx('check-token.ts', [...poolArgs(), '--token', idToken]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("code: jwt-invalid-claims\nmessage: claims key: 'https://hasura.io/jwt/claims' not found\n");
  });

  it('exits 2 when the JWKS is not there', async () => {
    const { accessToken } = await issueTokens({ key, now: Date.now() / 1000, issuer: `${endpoint}/local_NOPE` });
    const args = [
      '--region',
      REGION,
      '--user-pool-id',
      'local_NOPE',
      '--client-id',
      CLIENT_ID,
      '--endpoint',
      endpoint,
      '--token',
      accessToken,
    ];
    const result = await tsx('check-token.ts', args);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `check-token: cannot load the JWKS from ${endpoint}/local_NOPE/.well-known/jwks.json: HTTP 404\n`,
    });
  });

  it('an unexpected error quoting the JWKS (exit 70): its stack is printed escaped, line by line', async () => {
    const { accessToken } = await issueTokens({ key, now: Date.now() / 1000, issuer: `${endpoint}/${hostilePool}` });
    const args = [
      '--region',
      REGION,
      '--user-pool-id',
      hostilePool,
      '--client-id',
      CLIENT_ID,
      '--endpoint',
      endpoint,
      '--token',
      accessToken,
    ];
    const result = await tsx('check-token.ts', args);
    expect(result.code).toBe(70);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('JWK use not allowed: sig\\u001b]0;pwned\\u0007');
    expectTerminalSafe(result.stderr);
  });
});
