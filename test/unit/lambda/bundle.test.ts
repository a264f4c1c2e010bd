/**
 * The deployed artifact, not the TypeScript source: the handler bundled with the deployment's own
 * esbuild settings must be self-contained and answer exactly like the source.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseClaimsConfig } from '../../../lambda/claims-config';
import * as errorModule from '../../../lambda/errors';
import { createPreTokenGenerationHandler, type PreTokenGenerationHandler } from '../../../lambda/pre-token-generation';
import { bundlePreTokenGeneration } from '../../../lib/lambda-bundling';
import { type FixtureName, loadEvent } from '../../helpers/events';

const CONFIG = {
  groupRoles: { admin: 'admin', editor: 'editor' },
  sessionVariables: { 'x-hasura-org-id': 'custom:org_id' },
  machineClients: { '4m2mclientexample0123456789': { role: 'reporting' } },
};

let dir: string;
let bundlePath: string;
const savedEnv = process.env.HASURA_CLAIMS_CONFIG;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hasura-cognito-bundle-'));
  bundlePath = bundlePreTokenGeneration(dir);
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  if (savedEnv === undefined) delete process.env.HASURA_CLAIMS_CONFIG;
  else process.env.HASURA_CLAIMS_CONFIG = savedEnv;
});

function loadBundle(config: string | undefined): PreTokenGenerationHandler {
  if (config === undefined) delete process.env.HASURA_CLAIMS_CONFIG;
  else process.env.HASURA_CLAIMS_CONFIG = config;
  let handler!: PreTokenGenerationHandler;
  jest.isolateModules(() => {
    handler = require(bundlePath).handler;
  });
  return handler;
}

it('requires no module at all: no npm package, no CDK, no AWS SDK', () => {
  const code = fs.readFileSync(bundlePath, 'utf8');
  expect(code).not.toMatch(/\brequire\(/);
  expect(code).not.toMatch(/aws-cdk-lib|constructs|@aws-sdk/);
});

/** The error classes the trigger throws, and their abstract bases; every other class of lambda/errors.ts is tooling's. */
const TRIGGER_ERRORS = [
  'HasuraCognitoError',
  'InvalidInputError',
  'SignInRejectedError',
  'MissingUserIdError',
  'ClaimsTooLargeError',
  'UnsupportedEventError',
];

it("holds the trigger's error classes and none of the CLIs' or npm start's, though all live in lambda/errors.ts", () => {
  const code = fs.readFileSync(bundlePath, 'utf8');
  const tooling = Object.keys(errorModule).filter((name) => !TRIGGER_ERRORS.includes(name));
  expect(tooling).toEqual(expect.arrayContaining(['OutputExistsError', 'PortUnavailableError']));
  // Every class sets its name as a string literal, which minification keeps: a bundled class leaves its name behind.
  for (const name of TRIGGER_ERRORS) expect(code).toContain(`"${name}"`);
  for (const name of tooling) expect(code).not.toContain(name);
});

it("exports the handler as a plain property, without esbuild's ESM interop helpers", () => {
  // The helpers (a getter per export and an __esModule marker) cost about 0.2 ms of every cold
  // start; the bundle entry's `export =` avoids them (see npm run bench).
  const code = fs.readFileSync(bundlePath, 'utf8');
  expect(code).not.toContain('__esModule');
  let exported!: object;
  jest.isolateModules(() => {
    exported = require(bundlePath);
  });
  expect(Object.keys(exported)).toEqual(['handler']);
  expect(Object.getOwnPropertyDescriptor(exported, 'handler')).toHaveProperty('value');
});

it('deploys an entry that exports the very handler of pre-token-generation.ts', () => {
  jest.isolateModules(() => {
    expect(require('../../../lambda/index').handler).toBe(require('../../../lambda/pre-token-generation').handler);
  });
});

const fixtures: FixtureName[] = [
  'pretoken-v1-authentication',
  'pretoken-v1-refresh',
  'pretoken-v2-authentication',
  'pretoken-v2-hostedauth-groups',
  'pretoken-v3-client-credentials',
];

it.each(fixtures)('answers %s exactly like the TypeScript handler', async (fixture) => {
  const bundled = loadBundle(JSON.stringify(CONFIG));
  const source = createPreTokenGenerationHandler(parseClaimsConfig(CONFIG));
  const expected = await source(loadEvent(fixture));
  expect(await bundled(loadEvent(fixture))).toEqual(expected);
});

it('uses the defaults when HASURA_CLAIMS_CONFIG is unset', async () => {
  const result = await loadBundle(undefined)(loadEvent('pretoken-v1-authentication'));
  const claim = (result.response as { claimsOverrideDetails: { claimsToAddOrOverride: Record<string, string> } }).claimsOverrideDetails
    .claimsToAddOrOverride['https://hasura.io/jwt/claims'];
  expect(JSON.parse(claim)).toEqual({
    'x-hasura-allowed-roles': ['user'],
    'x-hasura-default-role': 'user',
    'x-hasura-user-id': 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
  });
});

it('refuses to load with an invalid config, naming the field', () => {
  expect(() => loadBundle('{"groupRoles":{"admins":""}}')).toThrow('HASURA_CLAIMS_CONFIG.groupRoles.admins: expected ');
});

it("keeps error names and codes through minification, for the Lambda runtime's error log", async () => {
  const event = loadEvent('pretoken-v2-authentication');
  delete event.request.userAttributes!.sub;
  await expect(loadBundle(undefined)(event)).rejects.toMatchObject({
    name: 'MissingUserIdError',
    code: 'MissingUserId',
    message: 'Your account has no user id. Please contact your administrator.',
  });
});
