/**
 * token-check: checkToken with typed inputs (what the local flow calls, no argv) and
 * describeTokenCheck, the lines check-token prints. Tokens come from the REAL handler, signed with
 * a generated key served by an in-memory JWKS (no network).
 */
import { main } from '../../../hasura-config/check-token';
import { type PoolTarget, poolTargetFromIds } from '../../../hasura-config/pool-target';
import { checkToken, describeTokenCheck, type TokenCheck } from '../../../hasura-config/token-check';
import { JwksUnavailableError } from '../../../lambda/errors';
import {
  CLIENT_ID,
  type CognitoTokens,
  expectTerminalSafe,
  FORGED_LINE,
  HIDDEN_CHARACTERS,
  issueTokens,
  JWKS_URI,
  jwksFetcher,
  MACHINE_CLIENT_ID,
  makeSigningKey,
  NAMESPACE,
  ORG_ID,
  OUTPUTS_FIXTURE_ARG,
  POOL_ID,
  REGION,
  REPO_ROOT,
  runMain,
  type SigningKey,
  USER_SUB,
} from './helpers';

const NOW = 1_750_000_000;
const CLAIMS = { namespace: NAMESPACE, claimsFormat: 'stringified_json', tokenUse: 'access' } as const;
// The fixture stack's pool, built from its ids: the same secret as its HasuraJwtSecret output.
const TARGET: PoolTarget = poolTargetFromIds({ region: REGION, userPoolId: POOL_ID }, [CLIENT_ID, MACHINE_CLIENT_ID], CLAIMS);

let key: SigningKey;
let tokens: CognitoTokens;

beforeAll(async () => {
  process.chdir(REPO_ROOT);
  key = makeSigningKey('key-1');
  tokens = await issueTokens({ key, now: NOW });
});

const check = (token: string, role?: string, target: PoolTarget = TARGET) =>
  checkToken({ ...target, token, role, fetcher: jwksFetcher(target.secret.jwk_url, [key]), now: NOW });

describe('checkToken', () => {
  it('accepted: the role and session variables, typed', async () => {
    expect(await check(tokens.accessToken)).toEqual({
      ok: true,
      role: 'user',
      sessionVariables: { 'x-hasura-org-id': ORG_ID, 'x-hasura-role': 'user', 'x-hasura-user-id': USER_SUB },
    });
    expect(await check(tokens.accessToken, 'admin')).toMatchObject({ ok: true, role: 'admin' });
  });

  it('a pasted "Bearer <token>" is the same header', async () => {
    expect(await check(`Bearer ${tokens.accessToken}`)).toEqual(await check(tokens.accessToken));
  });

  it("refused: Hasura's code and message, and advice from the token use", async () => {
    expect(await check(tokens.idToken)).toEqual({
      ok: false,
      code: 'jwt-invalid-claims',
      message: `claims key: '${NAMESPACE}' not found`,
      advice: "This is an ID token, but the Lambda puts Hasura's claims in the access token (tokenUse: access): send the access token.",
    });
  });

  it('refused without advice when there is nothing specific to say', async () => {
    const result = await checkToken({ ...TARGET, token: tokens.accessToken, fetcher: jwksFetcher(JWKS_URI, []), now: NOW });
    expect(result).toEqual({ ok: false, code: 'invalid-jwt', message: 'Could not verify JWT: JWSError NoUsableKeys' });
    expect('advice' in result).toBe(false);
  });

  it("a local emulator pool: the key set is fetched from the secret's jwk_url on the endpoint", async () => {
    const endpoint = 'http://127.0.0.1:9229';
    const target = poolTargetFromIds({ region: REGION, userPoolId: 'local_4DA54YKg', endpoint }, [CLIENT_ID], {
      ...CLAIMS,
      tokenUse: 'id',
    });
    const local = await issueTokens({ key, now: NOW, issuer: `${endpoint}/local_4DA54YKg`, config: { tokenUse: 'id' } });
    const fetcher = jwksFetcher(`${endpoint}/local_4DA54YKg/.well-known/jwks.json`, [key]);
    expect(await checkToken({ ...target, token: local.idToken, fetcher, now: NOW })).toMatchObject({ ok: true, role: 'user' });
    expect(fetcher.calls).toEqual([`${endpoint}/local_4DA54YKg/.well-known/jwks.json`]);
  });

  it('a key set that cannot be loaded: JwksUnavailableError, no answer', async () => {
    const fetcher = { fetch: async () => Promise.reject(new Error('getaddrinfo ENOTFOUND')) };
    await expect(checkToken({ ...TARGET, token: tokens.accessToken, fetcher, now: NOW })).rejects.toThrow(JwksUnavailableError);
  });
});

describe('describeTokenCheck', () => {
  it.each<[string, () => Promise<string>, string[]]>([
    ['an accepted token', async () => tokens.accessToken, []],
    ['an accepted token with a role', async () => tokens.accessToken, ['--role', 'admin']],
    ['a refused token with advice', async () => tokens.idToken, []],
  ])('%s: exactly the lines check-token prints', async (_name, token, extra) => {
    const role = extra[1];
    const lines = describeTokenCheck(await check(await token(), role));
    const printed = await runMain(main, ['--outputs', OUTPUTS_FIXTURE_ARG, '--token', await token(), ...extra], {
      fetcher: jwksFetcher(JWKS_URI, [key]),
      now: () => NOW,
    });
    expect(printed.stdout).toBe(`${lines.join('\n')}\n`);
  });

  it('the accepted lines, in full', () => {
    const result: TokenCheck = { ok: true, role: 'user', sessionVariables: { 'x-hasura-role': 'user', 'x-hasura-user-id': 'u-1' } };
    expect(describeTokenCheck(result)).toEqual([
      'Hasura accepts this token.',
      'role: user',
      'session variables:',
      '  x-hasura-role: "user"',
      '  x-hasura-user-id: "u-1"',
    ]);
  });

  it('the refused lines, in full, with and without advice', () => {
    const refusal = { ok: false, code: 'access-denied', message: 'Your requested role is not in allowed roles' } as const;
    expect(describeTokenCheck(refusal)).toEqual([
      'Hasura refuses this token.',
      'code: access-denied',
      'message: Your requested role is not in allowed roles',
    ]);
    expect(describeTokenCheck({ ...refusal, advice: 'Ask for another role.' })).toEqual([
      'Hasura refuses this token.',
      'code: access-denied',
      'message: Your requested role is not in allowed roles',
      'advice: Ask for another role.',
    ]);
  });

  it('values with escapes, C1, bidi and newlines: one escaped line each, nothing lost', () => {
    const accepted = describeTokenCheck({
      ok: true,
      role: `admin${FORGED_LINE}`,
      sessionVariables: { [`x-hasura-${FORGED_LINE}`]: HIDDEN_CHARACTERS },
    });
    expectTerminalSafe(`${accepted.join('\n')}\n`, 4);
    expect(JSON.parse(accepted[1].slice('role: '.length))).toBe(`admin${FORGED_LINE}`);
    expect(accepted[3]).toBe(
      `  ${JSON.stringify(`x-hasura-${FORGED_LINE}`)}: ${JSON.stringify(HIDDEN_CHARACTERS).replace(/[\u009b\u007f\u202e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}`,
    );
    const refused = describeTokenCheck({
      ok: false,
      code: 'invalid-jwt',
      message: `bad ${HIDDEN_CHARACTERS}`,
      advice: `see ${FORGED_LINE}`,
    });
    expectTerminalSafe(`${refused.join('\n')}\n`, 4);
  });
});
