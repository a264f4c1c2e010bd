/**
 * The published package as a consumer gets it: `npm pack` (which runs prepack, `npm run build`),
 * the tarball installed into a fresh plain-CommonJS CDK app that has aws-cdk-lib and constructs
 * but no esbuild, no tsx and no TypeScript. The app synthesizes a stack with a new pool; the
 * Lambda asset in its cloud assembly runs on a real event with the template's own
 * HASURA_CLAIMS_CONFIG; the installed bins run. Nothing is fetched: aws-cdk-lib, constructs and
 * the package's dependencies are installed from this repository's node_modules (`npm install --offline`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundlePoolTrigger, bundlePreTokenGeneration } from '../../lib/lambda-bundling';

jest.setTimeout(180_000);

const ROOT = path.join(__dirname, '..', '..');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  dependencies: Record<string, string>;
};
const STACK_NAME = 'ConsumerAuth';
const SAME_APP_STACK = 'ConsumerOwnPool';
const IMPORTED_STACK = 'ConsumerImportedPool';

/** The properties of an AWS::Lambda::Function this test reads. */
interface FunctionProperties {
  readonly Handler: string;
  readonly Code: { readonly S3Key: string };
  readonly Environment: { readonly Variables: Record<string, unknown> };
}

interface TemplateResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}
interface Template {
  readonly Resources: Record<string, TemplateResource>;
}

let work: string;
let app: string;
let tarball: string;
let installed: string;

const run = (file: string, args: string[], cwd = app) =>
  execFileSync(file, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
/** Where `require(name)` would resolve from `dir`, or undefined: run in a child so this process's resolution paths do not count. */
const resolvableFrom = (dir: string, name: string) => {
  const result = spawnSync(process.execPath, ['-e', `console.log(require.resolve(${JSON.stringify(name)}))`], {
    cwd: dir,
    encoding: 'utf8',
  });
  return result.status === 0 ? result.stdout.trim() : undefined;
};

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'hasura-cognito-package-'));
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], ROOT)) as { filename: string }[];
  tarball = path.join(work, packed[0].filename);
  app = path.join(work, 'app');
  fs.mkdirSync(app);
  // The consumer's own dependencies, as local directories (no registry); the tarball brings its own.
  const local = (name: string) => `file:${fs.realpathSync(path.join(ROOT, 'node_modules', name))}`;
  const manifest = {
    name: 'consumer-app',
    private: true,
    type: 'commonjs',
    // The peers, and the package's own dependencies so that npm finds them here instead of fetching them.
    dependencies: Object.fromEntries(
      ['aws-cdk-lib', 'constructs', ...Object.keys(PACKAGE.dependencies)].map((name) => [name, local(name)]),
    ),
  };
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify(manifest, null, 2));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', tarball]);
  installed = path.join(app, 'node_modules', PACKAGE.name);
  fs.writeFileSync(
    path.join(app, 'app.js'),
    `const { App, Stack, aws_cognito: cognito } = require('aws-cdk-lib');
const { HasuraCognitoAuth, HasuraCognitoStack } = require('${PACKAGE.name}');
const app = new App({ outdir: 'cdk.out' });
// A new pool, in the package's own stack.
new HasuraCognitoStack(app, '${STACK_NAME}', { auth: { groupRoles: { admins: 'admin' } } });
// The consumer's pool, in the consumer's stack.
const sameApp = new Stack(app, '${SAME_APP_STACK}');
const userPool = new cognito.UserPool(sameApp, 'Users', { featurePlan: cognito.FeaturePlan.ESSENTIALS });
new HasuraCognitoAuth(sameApp, 'Auth', { userPool, groupRoles: { admins: 'admin' } });
// A pool of another app, imported.
const imported = new Stack(app, '${IMPORTED_STACK}', { env: { account: '123456789012', region: 'eu-west-1' } });
const importedPool = cognito.UserPool.fromUserPoolId(imported, 'Users', 'eu-west-1_AbCdEf123');
new HasuraCognitoAuth(imported, 'Auth', { userPool: importedPool, groupRoles: { admins: 'admin' } });
app.synth();
`,
  );
  run(process.execPath, ['app.js']);
});

afterAll(() => {
  if (work !== undefined) fs.rmSync(work, { recursive: true, force: true });
});

test('the tarball holds the compiled package and its bundle, not the sources, tests or app', () => {
  const files = run('tar', ['-tzf', tarball]).trim().split('\n');
  expect(files).toEqual(
    expect.arrayContaining([
      'package/dist/lib/index.js',
      'package/dist/lib/index.d.ts',
      'package/dist/lambda-bundle/index.js',
      'package/dist/pool-trigger-bundle/index.js',
    ]),
  );
  expect(files.filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
  expect(files.filter((f) => /^package\/(test|bin|bench|dist\/(test|bin|bench))\//.test(f))).toEqual([]);
});

test('the shipped bundles are byte-identical to bundlePreTokenGeneration and bundlePoolTrigger output', () => {
  const reference = fs.readFileSync(bundlePreTokenGeneration(path.join(work, 'reference')));
  expect(fs.readFileSync(path.join(installed, 'dist', 'lambda-bundle', 'index.js')).equals(reference)).toBe(true);
  const poolTrigger = fs.readFileSync(bundlePoolTrigger(path.join(work, 'reference-pool-trigger')));
  expect(fs.readFileSync(path.join(installed, 'dist', 'pool-trigger-bundle', 'index.js')).equals(poolTrigger)).toBe(true);
});

test('the consumer app resolves no esbuild, tsx or TypeScript', () => {
  for (const dir of [app, installed]) {
    for (const name of ['esbuild', 'tsx', 'typescript']) expect([name, resolvableFrom(dir, name)]).toEqual([name, undefined]);
  }
  // The control: the same check finds what is installed.
  expect(resolvableFrom(installed, 'aws-jwt-verify')).toBeDefined();
});

/** A stack's template in the consumer's cloud assembly. */
function template(stackName: string): Template {
  return JSON.parse(fs.readFileSync(path.join(app, 'cdk.out', `${stackName}.template.json`), 'utf8')) as Template;
}

function resourcesOf(stackName: string, type: string): TemplateResource[] {
  return Object.values(template(stackName).Resources).filter((r) => r.Type === type);
}

/** The directory of a function's code: the file asset whose hash names its S3 key, as the asset manifest lists it. */
function assetDirOf(stackName: string, fn: TemplateResource): string {
  const assets = JSON.parse(fs.readFileSync(path.join(app, 'cdk.out', `${stackName}.assets.json`), 'utf8')) as {
    files: Record<string, { source: { path: string } }>;
  };
  const assetHash = (fn.Properties as unknown as FunctionProperties).Code.S3Key.replace(/\.zip$/, '');
  return path.join(app, 'cdk.out', assets.files[assetHash].source.path);
}

/** True when the asset is exactly the bundle the package ships in `dist/<bundleDir>`. */
function isShippedBundle(assetDir: string, bundleDir: string): boolean {
  expect(fs.readdirSync(assetDir)).toEqual(['index.js']);
  return fs.readFileSync(path.join(assetDir, 'index.js')).equals(fs.readFileSync(path.join(installed, 'dist', bundleDir, 'index.js')));
}

test('a plain CommonJS app synthesizes a stack with a new pool, and its Lambda asset adds the Hasura claims', () => {
  const functions = resourcesOf(STACK_NAME, 'AWS::Lambda::Function');
  expect(functions).toHaveLength(1);
  const [fn] = functions as unknown as { Properties: FunctionProperties }[];
  expect(fn.Properties.Handler).toBe('index.handler');
  const assetDir = assetDirOf(STACK_NAME, functions[0]);
  expect(isShippedBundle(assetDir, 'lambda-bundle')).toBe(true);

  const claimsConfig = fn.Properties.Environment.Variables.HASURA_CLAIMS_CONFIG;
  // A literal in the template: a new pool without machine clients references no resource in it.
  if (typeof claimsConfig !== 'string') throw new Error(`HASURA_CLAIMS_CONFIG is not a literal: ${JSON.stringify(claimsConfig)}`);
  const event = fs.readFileSync(path.join(ROOT, 'test', 'events', 'pretoken-v2-authentication.json'), 'utf8');
  // The bundle runs in a child process of its own, as Lambda would load it: only the template's environment.
  const script = `const { handler } = require(${JSON.stringify(path.join(assetDir, 'index.js'))});
handler(JSON.parse(require('fs').readFileSync(0, 'utf8'))).then((r) => process.stdout.write(JSON.stringify(r)));`;
  const result = spawnSync(process.execPath, ['-e', script], {
    input: event,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HASURA_CLAIMS_CONFIG: claimsConfig },
  });
  expect(result.stderr).toBe('');
  const output = JSON.parse(result.stdout);
  const added = output.response.claimsAndScopeOverrideDetails.accessTokenGeneration.claimsToAddOrOverride;
  const hasura = JSON.parse(added['https://hasura.io/jwt/claims']);
  expect(hasura['x-hasura-default-role']).toBe('user');
  expect(hasura['x-hasura-user-id']).toBe(JSON.parse(event).request.userAttributes.sub);
});

test("the consumer's own pool gets the trigger, the groups and a client: no second pool", () => {
  const pools = resourcesOf(SAME_APP_STACK, 'AWS::Cognito::UserPool');
  expect(pools).toHaveLength(1);
  expect(pools[0].Properties.LambdaConfig).toMatchObject({ PreTokenGenerationConfig: { LambdaVersion: 'V2_0' } });
  expect(resourcesOf(SAME_APP_STACK, 'AWS::Cognito::UserPoolGroup').map((g) => g.Properties.GroupName)).toEqual(['admins']);
  expect(resourcesOf(SAME_APP_STACK, 'AWS::Cognito::UserPoolClient')).toHaveLength(1);
  expect(resourcesOf(SAME_APP_STACK, 'Custom::HasuraCognitoPreTokenTrigger')).toEqual([]);
});

test('an imported pool gets the trigger through the attachment, whose handler is the shipped bundle', () => {
  expect(resourcesOf(IMPORTED_STACK, 'AWS::Cognito::UserPool')).toEqual([]);
  const [attachment] = resourcesOf(IMPORTED_STACK, 'Custom::HasuraCognitoPreTokenTrigger');
  expect(attachment.Properties).toMatchObject({ UserPoolId: 'eu-west-1_AbCdEf123', LambdaVersion: 'V2_0' });
  const functions = resourcesOf(IMPORTED_STACK, 'AWS::Lambda::Function');
  const shipped = functions.map((fn) => assetDirOf(IMPORTED_STACK, fn)).filter((dir) => fs.readdirSync(dir).includes('index.js'));
  // The trigger, the attachment's handler, and the Provider framework's own function (CDK's, not ours).
  expect(shipped.filter((dir) => isShippedBundle(dir, 'lambda-bundle'))).toHaveLength(1);
  expect(shipped.filter((dir) => isShippedBundle(dir, 'pool-trigger-bundle'))).toHaveLength(1);
});

test.each(['hasura-config', 'check-token', 'hasura-cognito-users', 'hasura-cognito-token'])(
  'the installed %s bin runs the compiled code',
  (bin) => {
    const result = spawnSync(path.join(app, 'node_modules', '.bin', bin), ['--help'], { cwd: app, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: ${bin} `));
  },
);

test('the installed hasura-config writes the secret from an outputs file, and check-token judges against it', () => {
  const bin = (name: string) => path.join(app, 'node_modules', '.bin', name);
  const outputs = path.join(ROOT, 'test', 'fixtures', 'outputs-one-stack.json');
  const generated = spawnSync(bin('hasura-config'), ['--outputs', outputs, '--format', 'json'], { cwd: app, encoding: 'utf8' });
  expect([generated.status, generated.stderr]).toEqual([0, '']);
  // --format json prints the HASURA_GRAPHQL_JWT_SECRET value itself.
  const secret = generated.stdout.trim();
  expect(JSON.parse(secret).issuer).toBe('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE');
  // A token that is not a JWT: judged without fetching the key set, as Hasura would answer it.
  const checked = spawnSync(bin('check-token'), ['--token', 'not-a-jwt', '--jwt-secret', secret], { cwd: app, encoding: 'utf8' });
  expect([checked.status, checked.stderr]).toEqual([1, '']);
  expect(checked.stdout).toContain('code: invalid-jwt');
});

test('start-up of the installed hasura-config --help against node -e 0 (printed, never asserted)', () => {
  const median = (file: string, args: string[]) => {
    const times: number[] = [];
    for (let i = 0; i < 11; i += 1) {
      const start = process.hrtime.bigint();
      spawnSync(file, args, { cwd: app });
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return times.sort((a, b) => a - b)[5];
  };
  const node = median(process.execPath, ['-e', '0']);
  const cli = median(process.execPath, [path.join(app, 'node_modules', '.bin', 'hasura-config'), '--help']);
  console.log(
    `installed hasura-config --help: median ${cli.toFixed(0)} ms; node -e 0: ${node.toFixed(0)} ms; ratio ${(cli / node).toFixed(2)}`,
  );
  expect(cli).toBeGreaterThan(0);
});
