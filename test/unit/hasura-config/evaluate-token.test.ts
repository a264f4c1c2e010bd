/** evaluate-token: Hasura's pipeline for one Authorization header, step by step in Hasura's order. */
import { evaluateAuthorization } from '../../../hasura-config/evaluate-token';
import { b64, compact, HASURA_RULES_CONFIG, ISSUER, NAMESPACE } from './helpers';

const NS = NAMESPACE;
const ISS = ISSUER;
const NOW = 1_700_000_000;

const config = HASURA_RULES_CONFIG;

const claims = { 'x-hasura-allowed-roles': ['user', 'admin'], 'x-hasura-default-role': 'user', 'x-hasura-user-id': 'u-1' };
const payload = (extra: Record<string, unknown> = {}, hasura: unknown = JSON.stringify(claims)) => ({
  iss: ISS,
  aud: '1example23456789',
  iat: NOW - 10,
  exp: NOW + 3600,
  token_use: 'id',
  [NS]: hasura,
  ...extra,
});
const rejected = (code: string, message: string) => ({ ok: false, code, message });

describe('evaluateAuthorization runs the steps in Hasura order', () => {
  const good = compact({ alg: 'RS256', kid: 'k' }, payload());

  it('refuses another issuer before decoding or verifying', async () => {
    const verify = jest.fn();
    const token = `${b64({ alg: 'RS256' })}.${b64({ iss: 'https://elsewhere', exp: 'not a number' })}.!!`;
    const result = await evaluateAuthorization({ authorization: `Bearer ${token}`, config, now: NOW, verifySignature: verify });
    expect(result.outcome).toEqual(rejected('invalid-jwt', 'Could not verify JWT: JWTNotInIssuer'));
    expect(verify).not.toHaveBeenCalled();
  });

  it('reports decode errors before the signature', async () => {
    const verify = jest.fn();
    const result = await evaluateAuthorization({ authorization: 'Bearer a.b.c.d.e', config, now: NOW, verifySignature: verify });
    expect(result.outcome).toMatchObject({ code: 'invalid-jwt', message: expect.stringContaining('got 5') });
    expect(verify).not.toHaveBeenCalled();
  });

  it('reports a bad signature before expiry and claims', async () => {
    const expired = compact({ alg: 'RS256' }, payload({ exp: NOW - 100 }, 'garbage'));
    const bad = rejected('invalid-jwt', 'Could not verify JWT: JWSError JWSInvalidSignature') as never;
    const result = await evaluateAuthorization({ authorization: `Bearer ${expired}`, config, now: NOW, verifySignature: async () => bad });
    expect(result.outcome).toBe(bad);
  });

  it('applies the rules after a valid signature', async () => {
    const result = await evaluateAuthorization({
      authorization: `Bearer ${good}`,
      config,
      roleHeader: 'admin',
      now: NOW,
      verifySignature: async () => undefined,
    });
    expect(result.outcome).toMatchObject({ ok: true, role: 'admin' });
  });
});
