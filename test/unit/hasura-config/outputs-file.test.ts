/** outputs-file: the file `cdk deploy --outputs-file` writes, read and validated. */
import { parseStackOutputs } from '../../../hasura-config/outputs-file';

describe('parseStackOutputs', () => {
  const outputs = (extra: Record<string, unknown>) =>
    JSON.stringify({ HasuraCognito: { UserPoolId: 'us-east-1_EXAMPLE', UserPoolClientId: '1example', Region: 'us-east-1', ...extra } });

  it('audience is the app client, then the machine clients, without duplicates', () => {
    expect(parseStackOutputs(outputs({ MachineClientIds: '2example, 3example,1example' }), 'f', undefined).clientIds).toEqual(['1example', '2example', '3example']);
  });

  it('refuses an empty machine client id', () => {
    expect(() => parseStackOutputs(outputs({ MachineClientIds: '2example,' }), 'f', undefined)).toThrow('output MachineClientIds: expected comma-separated client ids, found an empty id');
  });

  it('does not take an inherited property for a stack name', () => {
    expect(() => parseStackOutputs(outputs({}), 'f', 'toString')).toThrow('--stack toString: expected a stack in f, found stacks HasuraCognito');
  });
});
