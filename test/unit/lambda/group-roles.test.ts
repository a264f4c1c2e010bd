/** The one mapping from groups to Hasura roles: the trigger's claims and the users command's listing both use it. */
import { parseClaimsConfig } from '../../../lambda/claims-config';
import { appendGroupRoles, buildHasuraClaims } from '../../../lambda/hasura-claims';

const config = parseClaimsConfig({ groupRoles: { admins: 'admin', editors: 'editor', leads: 'admin' } });

describe('appendGroupRoles', () => {
  it('gives the roles of the mapped groups in config order, each once, after the roles already there', () => {
    expect(appendGroupRoles(config.groupRoles, ['leads', 'editors', 'admins'], [])).toEqual(['admin', 'editor']);
    expect(appendGroupRoles(config.groupRoles, ['editors'], ['user'])).toEqual(['user', 'editor']);
    expect(appendGroupRoles(config.groupRoles, ['admins'], ['admin'])).toEqual(['admin']);
  });

  it('gives no role for a group the map does not list, nor for a prototype name', () => {
    expect(appendGroupRoles(config.groupRoles, ['viewers', 'constructor', '__proto__', 'toString'], [])).toEqual([]);
  });

  it('is what the trigger puts in x-hasura-allowed-roles, after the default role', () => {
    const groups = ['editors', 'admins', 'viewers'];
    const claims = buildHasuraClaims(config, { attributes: { sub: 'u-1' }, groups });
    expect(claims['x-hasura-allowed-roles']).toEqual(appendGroupRoles(config.groupRoles, groups, [config.defaultRole]));
    expect(claims['x-hasura-allowed-roles']).toEqual(['user', 'admin', 'editor']);
  });
});
