/** pool-target: a target built from a pool's ids, the same one the CLIs build from explicit options. */
import { main } from '../../../hasura-config/generate';
import { poolTargetFromIds, poolTargetFromSecret } from '../../../hasura-config/pool-target';
import { InvalidInputError } from '../../../lambda/errors';
import { buildHasuraJwtSecret } from '../../../lib/hasura-jwt-secret';
import { CLIENT_ID, MACHINE_CLIENT_ID, POOL_ID, REGION, runMain } from './helpers';

describe('poolTargetFromIds', () => {
  const claims = { namespace: 'claims.example.com', claimsFormat: 'json', tokenUse: 'id' } as const;

  it('builds the secret with buildHasuraJwtSecret, and keeps the pool and the token use', () => {
    const target = poolTargetFromIds({ region: REGION, userPoolId: POOL_ID }, [CLIENT_ID, MACHINE_CLIENT_ID], claims);
    expect(target).toEqual({
      secret: buildHasuraJwtSecret({
        region: REGION,
        userPoolId: POOL_ID,
        clientIds: [CLIENT_ID, MACHINE_CLIENT_ID],
        namespace: 'claims.example.com',
        claimsFormat: 'json',
      }),
      pool: { region: REGION, userPoolId: POOL_ID, endpoint: undefined },
      tokenUse: 'id',
    });
  });

  it('is what the generator writes for the same explicit options', async () => {
    const endpoint = 'http://127.0.0.1:9229';
    const target = poolTargetFromIds({ region: REGION, userPoolId: 'local_4DA54YKg', endpoint }, [CLIENT_ID], claims);
    const argv = [
      '--region',
      REGION,
      '--user-pool-id',
      'local_4DA54YKg',
      '--client-id',
      CLIENT_ID,
      '--endpoint',
      endpoint,
      '--namespace',
      'claims.example.com',
      '--claims-format',
      'json',
      '--format',
      'json',
    ];
    expect(await runMain(main, argv)).toEqual({ code: 0, stdout: `${JSON.stringify(target.secret)}\n`, stderr: '' });
  });

  it('takes only the location from a larger object (such as the local flow’s emulator handle)', () => {
    const emulator = {
      region: 'local',
      userPoolId: 'local_4DA54YKg',
      endpoint: 'http://127.0.0.1:9229',
      clientId: CLIENT_ID,
      workDir: 'emulator-data',
    };
    expect(poolTargetFromIds(emulator, [emulator.clientId], claims).pool).toEqual({
      region: 'local',
      userPoolId: 'local_4DA54YKg',
      endpoint: 'http://127.0.0.1:9229',
    });
  });
});

describe('poolTargetFromSecret', () => {
  const claims = { namespace: 'claims.example.com', claimsFormat: 'json', tokenUse: 'id' } as const;

  it.each([
    ['a Cognito pool', { region: REGION, userPoolId: POOL_ID }],
    ['an emulator over http', { region: 'local', userPoolId: 'local_4DA54YKg', endpoint: 'http://127.0.0.1:9229' }],
    [
      'an emulator over https with a path',
      { region: 'local', userPoolId: 'local_4DA54YKg', endpoint: 'https://cognito.example.com/emulator' },
    ],
  ])('%s: the pool its issuer names, the same target poolTargetFromIds builds', (_name, pool) => {
    const built = poolTargetFromIds(pool, [CLIENT_ID], claims);
    expect(poolTargetFromSecret(built.secret, 'id', 'secret')).toEqual({ ...built, pool: { endpoint: undefined, ...pool } });
  });

  it.each([
    ['a Cognito host with a port', 'https://cognito-idp.us-east-1.amazonaws.com:8443/us-east-1_EXAMPLE'],
    ['a Cognito host with a longer path', 'https://cognito-idp.us-east-1.amazonaws.com/x/us-east-1_EXAMPLE'],
    ['a Cognito pool id of another region', 'https://cognito-idp.us-east-1.amazonaws.com/eu-west-1_EXAMPLE'],
    ['an emulator issuer without a pool id', 'https://emulator.example.com/'],
    ['an emulator issuer whose last segment is no pool id', 'https://emulator.example.com/pool'],
    ['an emulator issuer of a host alone', 'https://local_abc'],
    ['an emulator issuer with a doubled slash', 'https://emulator.example.com//local_4DA54YKg'],
  ])('refuses %s, naming the field issuer', (_name, issuer) => {
    const secret = { ...poolTargetFromIds({ region: REGION, userPoolId: POOL_ID }, [CLIENT_ID], claims).secret, issuer };
    expect(() => poolTargetFromSecret(secret, 'id', 'secret')).toThrow(InvalidInputError);
    expect(() => poolTargetFromSecret(secret, 'id', 'secret')).toThrow(/^secret field issuer: expected /);
  });
});
