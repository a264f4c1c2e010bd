/**
 * bin/app.ts as the CDK CLI runs it (`tsx bin/app.ts` with the context in CDK_CONTEXT_JSON and the
 * output directory in CDK_OUTDIR), in a subprocess: no credentials, no network, no Docker.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import type { CfnUserPool } from 'aws-cdk-lib/aws-cognito';
import { Template } from 'aws-cdk-lib/assertions';
import { buildHasuraCognitoApp } from '../../../bin/app';
import { REPO_ROOT, featureFlags } from './helpers';

const TSX_CLI = require.resolve('tsx/cli');

let outdir: string;
beforeEach(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hasura-cognito-app-'));
});
afterEach(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
});

function runApp(context: Record<string, unknown>) {
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir };
  // Whatever the developer's shell has must not leak into the test.
  delete env.AWS_PROFILE;
  delete env.CDK_DEFAULT_REGION;
  delete env.CDK_DEFAULT_ACCOUNT;
  return spawnSync(process.execPath, [TSX_CLI, path.join('bin', 'app.ts')], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 60_000 });
}

test('an invalid config fails the app with one line naming the field, and writes nothing', () => {
  // As `-c hasuraCognito='{...}'` passes it: JSON text.
  const result = runApp({ ...featureFlags(), hasuraCognito: JSON.stringify({ groupRoles: { admins: 'admin' }, mfa: 'sometimes' }) });
  expect(result.status).toBe(1);
  expect(result.stderr).toBe('hasuraCognito.mfa: expected one of "optional", "required", "off", found "sometimes"\n');
  expect(fs.readdirSync(outdir)).toEqual([]);
});

test('a namespace that is a user attribute\'s claim fails the app, naming namespace', () => {
  // The attack: with tokenUse access the ID token keeps the user's own "name" attribute, which the
  // default writeAttributes let the user set to {"x-hasura-allowed-roles":["admin"],...}.
  const result = runApp({ ...featureFlags(), hasuraCognito: { namespace: 'name' } });
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(/^hasuraCognito\.namespace: expected a claim name .*, found "name"\n$/);
  expect(fs.readdirSync(outdir)).toEqual([]);
});

test('the app synthesizes the configured stack offline', () => {
  const result = runApp({
    ...featureFlags(),
    'aws:cdk:bundling-stacks': [],
    hasuraCognito: { stackName: 'AuthTest', groupRoles: { admins: 'admin' } },
  });
  expect(result.stderr).not.toMatch(/ERROR|Validation failed/);
  expect(result.status).toBe(0);
  const template = JSON.parse(fs.readFileSync(path.join(outdir, 'AuthTest.template.json'), 'utf8'));
  expect(Object.keys(template.Outputs).sort()).toEqual(['HasuraJwtSecret', 'Issuer', 'JwksUrl', 'Region', 'UserPoolClientId', 'UserPoolId']);
});

describe('buildHasuraCognitoApp (what bin/app.ts runs), in-process', () => {
  function app(hasuraCognito: unknown): App {
    return new App({ context: { ...featureFlags(), 'aws:cdk:bundling-stacks': [], hasuraCognito } });
  }

  test('reads the hasuraCognito context, JSON text included, and names the stack', () => {
    const stack = buildHasuraCognitoApp(app(JSON.stringify({ stackName: 'AuthDev', mfa: 'required' })));
    expect(stack.stackName).toBe('AuthDev');
    const pool = Template.fromStack(stack).findResources('AWS::Cognito::UserPool');
    expect(Object.values(pool)[0].Properties.MfaConfiguration).toBe('ON');
  });

  test('the default stack name is HasuraCognito', () => {
    expect(buildHasuraCognitoApp(app(undefined)).stackName).toBe('HasuraCognito');
  });

  test('a bad config throws the field-naming error', () => {
    expect(() => buildHasuraCognitoApp(app({ tokenUse: 'id', claimsFormat: 'json' }))).toThrow(
      /^hasuraCognito\.claimsFormat: expected "stringified_json" when tokenUse is "id"/,
    );
  });

  test('cdk-nag runs on synth: a finding fails it, the clean stack passes', () => {
    const clean = app({});
    buildHasuraCognitoApp(clean);
    expect(() => clean.synth()).not.toThrow();

    const weakened = app({});
    const stack = buildHasuraCognitoApp(weakened);
    (stack.auth.userPool.node.defaultChild as CfnUserPool).policies = { passwordPolicy: { minimumLength: 6 } };
    const stderr = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(() => weakened.synth()).toThrow(/AwsSolutions-COG1/);
    } finally {
      stderr.mockRestore();
    }
  });
});
