/**
 * bin/app.ts as the CDK CLI runs it (`tsx bin/app.ts` with the context in CDK_CONTEXT_JSON and the
 * output directory in CDK_OUTDIR), in a subprocess: no credentials, no network, no Docker.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnUserPool } from 'aws-cdk-lib/aws-cognito';
import { buildHasuraCognitoApp } from '../../../bin/app';
import { featureFlags, REPO_ROOT } from './helpers';

const TSX_CLI = require.resolve('tsx/cli');

const outdirs: string[] = [];
afterAll(() => {
  for (const outdir of outdirs) fs.rmSync(outdir, { recursive: true, force: true });
});

interface AppRun {
  readonly status: number | null;
  readonly stderr: string;
  /** The CDK_OUTDIR it was given: a new, empty directory. */
  readonly outdir: string;
}

/**
 * Runs the app in its own output directory without blocking, so that the subprocess tests run
 * concurrently: each one loads aws-cdk-lib through tsx, and a synth initializes CloudFormation validation.
 */
function runApp(context: Record<string, unknown>): Promise<AppRun> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hasura-cognito-app-'));
  outdirs.push(outdir);
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir };
  // Whatever the developer's shell has must not leak into the test.
  delete env.AWS_PROFILE;
  delete env.CDK_DEFAULT_REGION;
  delete env.CDK_DEFAULT_ACCOUNT;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX_CLI, path.join('bin', 'app.ts')], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    let stderr = '';
    child.stdout.resume();
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr, outdir }));
  });
}

test.concurrent('an invalid config fails the app with one line naming the field, and writes nothing', async () => {
  // As `-c hasuraCognito='{...}'` passes it: JSON text.
  const result = await runApp({ ...featureFlags(), hasuraCognito: JSON.stringify({ groupRoles: { admins: 'admin' }, mfa: 'sometimes' }) });
  expect(result.status).toBe(1);
  expect(result.stderr).toBe('hasuraCognito.mfa: expected one of "optional", "required", "off", found "sometimes"\n');
  expect(fs.readdirSync(result.outdir)).toEqual([]);
});

test.concurrent("a namespace that is a user attribute's claim fails the app, naming namespace", async () => {
  // The attack: with tokenUse access the ID token keeps the user's own "name" attribute, which the
  // default writeAttributes let the user set to {"x-hasura-allowed-roles":["admin"],...}.
  const result = await runApp({ ...featureFlags(), hasuraCognito: { namespace: 'name' } });
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(/^hasuraCognito\.namespace: expected a claim name .*, found "name"\n$/);
  expect(fs.readdirSync(result.outdir)).toEqual([]);
});

test.concurrent('the app synthesizes the configured stack offline', async () => {
  const result = await runApp({
    ...featureFlags(),
    'aws:cdk:bundling-stacks': [],
    hasuraCognito: { stackName: 'AuthTest', groupRoles: { admins: 'admin' } },
  });
  expect(result.stderr).not.toMatch(/ERROR|Validation failed/);
  expect(result.status).toBe(0);
  const template = JSON.parse(fs.readFileSync(path.join(result.outdir, 'AuthTest.template.json'), 'utf8'));
  expect(Object.keys(template.Outputs).sort()).toEqual([
    'GroupRoles',
    'HasuraJwtSecret',
    'Issuer',
    'JwksUrl',
    'Region',
    'TokenUse',
    'UserPoolClientId',
    'UserPoolId',
  ]);
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
