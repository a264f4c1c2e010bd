/** pool-target: a target built from a pool's ids, the same one the CLIs build from explicit options. */
import { main } from '../../../hasura-config/generate';
import { poolTargetFromIds } from '../../../hasura-config/pool-target';
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
