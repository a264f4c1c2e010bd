/**
 * check-token --env-file / --jwt-secret: the token judged against exactly a HASURA_GRAPHQL_JWT_SECRET
 * as written (real signatures, the JWKS served in memory at the secret's own jwk_url).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_ENV_MARKER } from '../../../bin/local/local-env-file';
import { type CheckTokenIo, main } from '../../../hasura-config/check-token';
import { jwtSecretJson, render } from '../../../hasura-config/formats';
import { poolTargetFromIds } from '../../../hasura-config/pool-target';
import {
  CLIENT_ID,
  type CognitoTokens,
  expectTerminalSafe,
  HIDDEN_CHARACTERS,
  issueTokens,
  JWKS_URI,
  jwksFetcher,
  MACHINE_CLIENT_ID,
  makeSigningKey,
  makeTempDir,
  NAMESPACE,
  OUTPUTS_FIXTURE_ARG,
  POOL_ID,
  REGION,
  runMain,
  type SigningKey,
} from './helpers';

const NOW = 1_750_000_000;
const CLAIMS = { namespace: NAMESPACE, claimsFormat: 'stringified_json', tokenUse: 'access' } as const;
const TARGET = poolTargetFromIds({ region: REGION, userPoolId: POOL_ID }, [CLIENT_ID], CLAIMS);
const ENV = render('env', { secret: TARGET.secret, userPoolId: POOL_ID, tokenUse: 'access' });

let key: SigningKey;
let tokens: CognitoTokens;
let temp: { dir: string; cleanup: () => void };

beforeAll(async () => {
  key = makeSigningKey('key-1');
  tokens = await issueTokens({ key, now: NOW });
});
beforeEach(() => {
  temp = makeTempDir();
});
afterEach(() => temp.cleanup());

const io = (overrides: Partial<CheckTokenIo> = {}): Partial<CheckTokenIo> => ({
  fetcher: jwksFetcher(JWKS_URI, [key]),
  now: () => NOW,
  ...overrides,
});
const envFile = (text: string): string => {
  const file = join(temp.dir, 'hasura.env');
  writeFileSync(file, text);
  return file;
};
const usage = (stderr: string | RegExp) => ({ code: 2, stdout: '', stderr });

describe('tokens Hasura accepts under the secret as written', () => {
  it('--env-file with the file hasura-config writes (render env)', async () => {
    const fetcher = jwksFetcher(JWKS_URI, [key]);
    const result = await runMain(main, ['--env-file', envFile(ENV), '--token', tokens.accessToken], io({ fetcher }));
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^Hasura accepts this token\.\nrole: user\n/);
    expect(fetcher.calls).toEqual([JWKS_URI]);
  });

  it("--env-file with npm start's marker line first, --role admin", async () => {
    const file = envFile(`${LOCAL_ENV_MARKER}\n${ENV}`);
    const result = await runMain(main, ['--env-file', file, '--token', tokens.accessToken, '--role', 'admin'], io());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('role: admin\n');
  });

  it.each([
    ['double-quoted', (json: string) => `"${json.replace(/["\\]/g, '\\$&')}"`],
    ['unquoted', (json: string) => json],
  ])('--env-file with a %s value and an export prefix, as docker compose reads it', async (_name, quote) => {
    const file = envFile(`# comment\n\nexport HASURA_GRAPHQL_JWT_SECRET=${quote(jwtSecretJson(TARGET.secret))}\n`);
    expect((await runMain(main, ['--env-file', file, '--token', tokens.accessToken], io())).code).toBe(0);
  });

  it('--jwt-secret with the value', async () => {
    const result = await runMain(main, ['--jwt-secret', jwtSecretJson(TARGET.secret), '--token', tokens.accessToken], io());
    expect(result.code).toBe(0);
  });

  it('an emulator pool over http: the pool id and endpoint come from the issuer, the key set from jwk_url', async () => {
    const issuer = 'http://127.0.0.1:9229/local_4DA54YKg';
    const local = await issueTokens({ key, now: NOW, issuer, config: { tokenUse: 'id' } });
    const secret = poolTargetFromIds(
      { region: 'local', userPoolId: 'local_4DA54YKg', endpoint: 'http://127.0.0.1:9229' },
      [CLIENT_ID],
      CLAIMS,
    ).secret;
    const fetcher = jwksFetcher(`${issuer}/.well-known/jwks.json`, [key]);
    const file = envFile(render('env', { secret, userPoolId: 'local_4DA54YKg', tokenUse: 'id' }));
    const result = await runMain(main, ['--env-file', file, '--token', local.idToken, '--token-use', 'id'], io({ fetcher }));
    expect(result.code).toBe(0);
    expect(fetcher.calls).toEqual([`${issuer}/.well-known/jwks.json`]);
  });
});

describe('refused by the secret', () => {
  it("a token of another app client: the secret's audience rule, exit 1", async () => {
    const other = await issueTokens({ key, now: NOW, clientId: MACHINE_CLIENT_ID });
    const result = await runMain(main, ['--env-file', envFile(ENV), '--token', other.accessToken], io());
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('code: invalid-jwt\nmessage: Could not verify JWT: JWTNotInAudience\n');
  });

  it('--token-use id when the claims are in the access token: the ID token is refused', async () => {
    const result = await runMain(main, ['--env-file', envFile(ENV), '--token', tokens.idToken], io());
    expect(result.code).toBe(1);
  });
});

describe('bad secrets and options: exit 2, one line, no fetch', () => {
  const secretLine = `HASURA_GRAPHQL_JWT_SECRET='${jwtSecretJson(TARGET.secret)}'`;
  const tampered = `HASURA_GRAPHQL_JWT_SECRET='${JSON.stringify({ ...TARGET.secret, jwk_url: 'http://attacker.example/x/.well-known/jwks.json' })}'`;

  it.each<[string, string, (file: string) => string]>([
    [
      'without the variable',
      '# nothing here\nOTHER=1\n',
      (f) => `check-token: --env-file ${f}: expected a HASURA_GRAPHQL_JWT_SECRET=... line, found none\n`,
    ],
    [
      'with it twice',
      `${secretLine}\n\n${secretLine}\n`,
      (f) => `check-token: --env-file ${f} line 3: expected HASURA_GRAPHQL_JWT_SECRET once, found it again (first on line 1)\n`,
    ],
    [
      'a malformed line',
      `${secretLine}\nnot an assignment\n`,
      (f) => `check-token: --env-file ${f} line 2: expected NAME=value, a comment or a blank line, found another line\n`,
    ],
    [
      'an unclosed quote',
      "HASURA_GRAPHQL_JWT_SECRET='{\n",
      (f) =>
        `check-token: --env-file ${f} line 1 HASURA_GRAPHQL_JWT_SECRET: expected a value closed by its single quote on the same line, nothing after it, found another value\n`,
    ],
    [
      'text that is not JSON',
      "HASURA_GRAPHQL_JWT_SECRET='{secret'\n",
      (f) =>
        `check-token: --env-file ${f} line 1 HASURA_GRAPHQL_JWT_SECRET: expected the JSON of a Hasura JWT config, found text that is not JSON\n`,
    ],
  ])('an env file %s', async (_name, text, stderr) => {
    const file = envFile(text);
    const fetcher = jwksFetcher(JWKS_URI, [key]);
    expect(await runMain(main, ['--env-file', file, '--token', tokens.accessToken], io({ fetcher }))).toEqual(usage(stderr(file)));
    expect(fetcher.calls).toEqual([]);
  });

  it('a tampered secret (jwk_url over http to another host): refused naming the line and field', async () => {
    const file = envFile(`${LOCAL_ENV_MARKER}\n${tampered}\n`);
    const fetcher = jwksFetcher(JWKS_URI, [key]);
    const result = await runMain(main, ['--env-file', file, '--token', tokens.accessToken], io({ fetcher }));
    expect(result).toEqual(usage(expect.stringMatching(/^check-token: [^\n]+\n$/)));
    expect(result.stderr).toContain(`--env-file ${file} line 2 HASURA_GRAPHQL_JWT_SECRET field jwk_url: expected an https URL`);
    expect(fetcher.calls).toEqual([]);
  });

  it('no such file, and a file over the size cap', async () => {
    const missing = join(temp.dir, 'missing.env');
    expect(await runMain(main, ['--env-file', missing, '--token', 'a.b.c'], io())).toEqual(
      usage(`check-token: --env-file ${missing}: expected a readable env file, found no such file\n`),
    );
    const big = envFile(`${secretLine}\n${'#'.repeat(70_000)}\n`);
    expect(await runMain(main, ['--env-file', big, '--token', 'a.b.c'], io())).toEqual(
      usage(`check-token: --env-file ${big}: expected an env file of at most 65536 bytes, found more\n`),
    );
  });

  it('--jwt-secret with an issuer that names no pool', async () => {
    const secret = { ...TARGET.secret, issuer: 'https://cognito-idp.us-east-1.amazonaws.com:8443/us-east-1_EXAMPLE' };
    const json = JSON.stringify({ ...secret, jwk_url: `${secret.issuer}/.well-known/jwks.json` });
    const result = await runMain(main, ['--jwt-secret', json, '--token', tokens.accessToken], io());
    expect(result).toEqual(
      usage(expect.stringMatching(/^check-token: --jwt-secret field issuer: expected https:\/\/cognito-idp\.<region>/)),
    );
  });

  it.each([
    ['--outputs', ['--outputs', OUTPUTS_FIXTURE_ARG], '--outputs'],
    ['--region', ['--region', REGION], '--region'],
    ['--namespace', ['--namespace', NAMESPACE], '--namespace'],
    ['--jwt-secret', ['--jwt-secret', '{}'], '--jwt-secret'],
  ])('--env-file with %s', async (_name, extra, option) => {
    const result = await runMain(main, ['--env-file', envFile(ENV), ...extra, '--token', tokens.accessToken], io());
    expect(result).toEqual(
      usage(
        `check-token: ${option}: expected --env-file alone (one target: the secret it gives says the pool, clients and claims), found both\n`,
      ),
    );
  });

  it('the secret is never printed raw: a field holding C1, bidi and a newline is shown escaped', async () => {
    const json = JSON.stringify({ ...TARGET.secret, type: HIDDEN_CHARACTERS });
    const result = await runMain(main, ['--jwt-secret', json, '--token', tokens.accessToken], io());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^check-token: "--jwt-secret field type: expected /);
    expectTerminalSafe(result.stderr, 1);
  });
});
