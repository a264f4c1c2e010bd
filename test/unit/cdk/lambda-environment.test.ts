/**
 * Lambda refuses CreateFunction when a function's environment exceeds 4 KB, and the whole claims
 * config travels in HASURA_CLAIMS_CONFIG. parseStackConfig refuses a config whose environment would
 * not fit; these tests hold its count to the environment of the real synthesized template.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { HasuraCognitoError, InvalidInputError } from '../../../lambda/errors';
import { LAMBDA_ENVIRONMENT_MAX_BYTES, lambdaEnvironmentBytes, parseStackConfig } from '../../../lib/stack-config';
import { evaluate, onlyResource, resourcesOfType, sharedStack } from './helpers';

/** Lambda quotas page: "Function environment variables: 4 KB, for all environment variables associated with the function, in aggregate". */
const LIMIT = 4096;

/** `count` groups of 34 bytes each in the environment: `\"team-000-members\":\"team-000\",`. */
function groups(count: number): Record<string, string> {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`team-${String(i).padStart(3, '0')}-members`, `team-${String(i).padStart(3, '0')}`]),
  );
}

/**
 * Bytes of the function's environment in the template, measured as Lambda's error message shows it
 * measures ("String measured: {...}", the JSON of the variables), with every app client id resolved
 * to a 26-character id as Cognito generates them.
 */
function templateEnvironmentBytes(template: Template): number {
  const refs: Record<string, string> = {};
  resourcesOfType(template, 'AWS::Cognito::UserPoolClient').forEach(([logicalId], index) => {
    refs[logicalId] = `client${index}`.padEnd(26, '0');
  });
  const variables = onlyResource(template, 'AWS::Lambda::Function')[1].Properties?.Environment.Variables as Record<string, unknown>;
  const resolved = Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, evaluate(value, refs)]));
  return Buffer.byteLength(JSON.stringify(resolved), 'utf8');
}

function sizeError(input: unknown): InvalidInputError {
  try {
    parseStackConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error('expected the config to be refused');
}

/** `base` plus groups and one padding role, sized so that the deployed environment is exactly `bytes`. */
function configOfSize(base: Record<string, unknown>, bytes: number): Record<string, unknown> {
  const empty = templateEnvironmentBytes(sharedStack({ ...base, groupRoles: { pad: 'p' } }).template);
  // Each group adds 34 bytes; a longer padding role adds one byte per character (at most 128).
  const count = Math.floor((bytes - empty - 64) / 34);
  const padding = bytes - empty - 34 * count;
  return { ...base, groupRoles: { ...groups(count), pad: 'p'.repeat(1 + padding) } };
}

test('150 mapped groups are refused at synth with the size Lambda would measure and the limit', () => {
  // No stack of 150 groups can be built (the construct refuses it too): measured from one of 100,
  // plus 34 bytes for each further group of the same shape.
  const measured = templateEnvironmentBytes(sharedStack({ groupRoles: groups(100) }).template) + 50 * 34;
  expect(measured).toBeGreaterThan(LIMIT);

  const error = sizeError({ groupRoles: groups(150) });
  expect(error.field).toBe('hasuraCognito.groupRoles');
  expect(error.expected).toMatch(/^at most 4096 bytes of Lambda environment/);
  expect(error.found).toBe(`${measured} bytes`);
  expect(error).toBeInstanceOf(HasuraCognitoError);
});

describe.each([
  ['groups only', {}],
  [
    'machine clients, whose ids count at 26 characters',
    {
      machineClients: { reporting: { role: 'reporter', sessionVariables: { 'x-hasura-org-id': '42' } }, billing: { role: 'billing' } },
      domainPrefix: 'example-auth',
    },
  ],
])('the limit is exact (%s)', (_name, base) => {
  const atLimit = configOfSize(base, LIMIT);

  test('a config whose environment is exactly 4096 bytes passes, and the template says 4096', () => {
    expect(LAMBDA_ENVIRONMENT_MAX_BYTES).toBe(LIMIT);
    expect(templateEnvironmentBytes(sharedStack(atLimit).template)).toBe(LIMIT);
  });

  test('one byte more is refused, found 4097 bytes', () => {
    const groupRoles = atLimit.groupRoles as Record<string, string>;
    const error = sizeError({ ...atLimit, groupRoles: { ...groupRoles, pad: `${groupRoles.pad}p` } });
    expect(error.message).toMatch(/^hasuraCognito\.groupRoles: expected at most 4096 bytes of Lambda environment.*, found 4097 bytes$/);
  });
});

test('the error names the field that holds most of the environment', () => {
  const machineClients = Object.fromEntries(
    Array.from({ length: 40 }, (_, i) => [`client${i}`, { role: 'service', sessionVariables: { 'x-hasura-tenant-id': 't'.repeat(64) } }]),
  );
  expect(sizeError({ groupRoles: groups(3), machineClients, domainPrefix: 'example-auth' }).field).toBe('hasuraCognito.machineClients');
});

test('non-ASCII characters count as the \\u escapes of a JSON encoding, never fewer bytes than UTF-8', () => {
  const variables = { A: 'é€😀' };
  expect(lambdaEnvironmentBytes(variables)).toBe('{"A":"'.length + 6 + 6 + 12 + '"}'.length);
  expect(lambdaEnvironmentBytes(variables)).toBeGreaterThanOrEqual(Buffer.byteLength(JSON.stringify(variables)));
  expect(lambdaEnvironmentBytes({ HASURA_CLAIMS_CONFIG: '{"a":1}' })).toBe(
    Buffer.byteLength(JSON.stringify({ HASURA_CLAIMS_CONFIG: '{"a":1}' })),
  );
});
