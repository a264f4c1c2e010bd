/** outputs-file: the file `cdk deploy --outputs-file` writes, read and validated. */
import { parseStackOutputs } from '../../../hasura-config/outputs-file';
import { InvalidInputError } from '../../../lambda/errors';
import { fixtureOutputsWith, OUTPUTS_FIXTURE, readText } from './helpers';

describe('parseStackOutputs', () => {
  const outputs = (extra: Record<string, unknown>) =>
    JSON.stringify({ HasuraCognito: { UserPoolId: 'us-east-1_EXAMPLE', UserPoolClientId: '1example', Region: 'us-east-1', ...extra } });

  it('audience is the app client, then the machine clients, without duplicates', () => {
    expect(parseStackOutputs(outputs({ MachineClientIds: '2example, 3example,1example' }), 'f', undefined).clientIds).toEqual([
      '1example',
      '2example',
      '3example',
    ]);
  });

  it('refuses an empty machine client id', () => {
    expect(() => parseStackOutputs(outputs({ MachineClientIds: '2example,' }), 'f', undefined)).toThrow(
      'output MachineClientIds: expected comma-separated client ids, found an empty id',
    );
  });

  it('does not take an inherited property for a stack name', () => {
    expect(() => parseStackOutputs(outputs({}), 'f', 'toString')).toThrow(
      '--stack toString: expected a stack in f, found stacks HasuraCognito',
    );
  });
});

describe("parseStackOutputs: the stack's HasuraJwtSecret output", () => {
  const fixture = readText(OUTPUTS_FIXTURE);
  const deployed = JSON.parse(JSON.parse(fixture).HasuraCognito.HasuraJwtSecret);

  it('is parsed into the typed secret, the same value', () => {
    const { hasuraJwtSecret } = parseStackOutputs(fixture, 'f', undefined);
    expect(hasuraJwtSecret).toEqual(deployed);
    expect(Object.isFrozen(hasuraJwtSecret)).toBe(true);
  });

  it('is undefined when the stack has no such output (the CLIs then ask for a redeploy)', () => {
    expect(parseStackOutputs(fixtureOutputsWith(null), 'f', undefined).hasuraJwtSecret).toBeUndefined();
  });

  it('is validated, the field named after the output', () => {
    expect(() => parseStackOutputs(fixtureOutputsWith({ audience: [] }), 'f', undefined)).toThrow(
      new InvalidInputError(
        '--outputs f stack HasuraCognito output HasuraJwtSecret field audience',
        'a non-empty array of app client ids (letters, digits, _ and +)',
        '[]',
      ),
    );
  });

  it.each<[string, unknown, string]>([
    ['text that is not JSON', '{', 'output HasuraJwtSecret: expected a JSON object, found text that is not a JSON object'],
    ['JSON that is not an object', '[]', 'output HasuraJwtSecret: expected a JSON object, found an array'],
    ['an empty string', '', 'output HasuraJwtSecret: expected a non-empty string, found an empty string'],
    ['not a string', { type: 'RS256' }, 'output HasuraJwtSecret: expected a non-empty string, found an object'],
  ])('refuses an output that is %s', (_name, value, message) => {
    const document = JSON.parse(fixture);
    document.HasuraCognito.HasuraJwtSecret = value;
    expect(() => parseStackOutputs(JSON.stringify(document), 'f', undefined)).toThrow(message);
  });
});

describe('parseStackOutputs: the GroupRoles and TokenUse outputs', () => {
  const base = { UserPoolId: 'us-east-1_EXAMPLE', UserPoolClientId: '1example', Region: 'us-east-1' };
  const parse = (extra: Record<string, unknown>) =>
    parseStackOutputs(JSON.stringify({ HasuraCognito: { ...base, ...extra } }), 'f', undefined);

  it('reads the fixtures: the map and the token use, as the stack wrote them', () => {
    expect(parseStackOutputs(readText(OUTPUTS_FIXTURE), 'f', undefined)).toMatchObject({
      groupRoles: { admins: 'admin' },
      tokenUse: 'access',
    });
  });

  it('is undefined for a stack deployed before the outputs existed', () => {
    expect(parse({})).toMatchObject({ groupRoles: undefined, tokenUse: undefined });
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'GroupRoles that is not JSON',
      { GroupRoles: '{' },
      'output GroupRoles: expected a JSON object of group names to roles, found text that is not JSON',
    ],
    ['GroupRoles that is an array', { GroupRoles: '[]' }, 'output GroupRoles: expected an object, found []'],
    ['a role with surrounding spaces', { GroupRoles: '{"admins":" admin"}' }, 'output GroupRoles.admins: expected a role name'],
    ['a group name with a space', { GroupRoles: '{"a b":"x"}' }, 'output GroupRoles["a b"]: expected a Cognito group name'],
    ['a prototype name for a group', { GroupRoles: '{"__proto__":"x"}' }, 'output GroupRoles.__proto__: expected a Cognito group name'],
    ['an unknown token use', { TokenUse: 'refresh' }, 'output TokenUse: expected "access" or "id", found "refresh"'],
    ['an empty token use', { TokenUse: '' }, 'output TokenUse: expected a non-empty string, found an empty string'],
  ])('refuses %s, naming the output', (_name, extra, message) => {
    expect(() => parse(extra)).toThrow(message);
  });
});
