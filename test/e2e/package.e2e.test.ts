/**
 * The published package as a consumer gets it: `npm pack` (which runs prepack, `npm run build`),
 * the tarball installed into a fresh plain-CommonJS CDK app that has aws-cdk-lib and constructs
 * but no esbuild, no tsx and no TypeScript. The app synthesizes a stack with a new pool; the
 * Lambda asset in its cloud assembly runs on a real event with the template's own
 * HASURA_CLAIMS_CONFIG; the installed bins run. Nothing is fetched: aws-cdk-lib, constructs and
 * aws-jwt-verify are installed from this repository's node_modules (`npm install --offline`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundlePreTokenGeneration } from '../../lib/lambda-bundling';

jest.setTimeout(180_000);

const ROOT = path.join(__dirname, '..', '..');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string };
const STACK_NAME = 'ConsumerAuth';

/** The properties of an AWS::Lambda::Function this test reads. */
interface FunctionProperties {
  readonly Handler: string;
  readonly Code: { readonly S3Key: string };
  readonly Environment: { readonly Variables: Record<string, unknown> };
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
    dependencies: { 'aws-cdk-lib': local('aws-cdk-lib'), constructs: local('constructs'), 'aws-jwt-verify': local('aws-jwt-verify') },
  };
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify(manifest, null, 2));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', tarball]);
  installed = path.join(app, 'node_modules', PACKAGE.name);
  fs.writeFileSync(
    path.join(app, 'app.js'),
    `const { App } = require('aws-cdk-lib');
const { HasuraCognitoStack, parseStackConfig } = require('${PACKAGE.name}');
const app = new App({ outdir: 'cdk.out' });
const config = parseStackConfig({ stackName: '${STACK_NAME}' });
new HasuraCognitoStack(app, config.stackName, { stackName: config.stackName, config });
app.synth();
`,
  );
});

afterAll(() => {
  if (work !== undefined) fs.rmSync(work, { recursive: true, force: true });
});

test('the tarball holds the compiled package and its bundle, not the sources, tests or app', () => {
  const files = run('tar', ['-tzf', tarball]).trim().split('\n');
  expect(files).toEqual(
    expect.arrayContaining(['package/dist/lib/index.js', 'package/dist/lib/index.d.ts', 'package/dist/lambda-bundle/index.js']),
  );
  expect(files.filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
  expect(files.filter((f) => /^package\/(test|bin|bench|dist\/(test|bin|bench))\//.test(f))).toEqual([]);
});

test('the shipped bundle is byte-identical to bundlePreTokenGeneration output', () => {
  const reference = fs.readFileSync(bundlePreTokenGeneration(path.join(work, 'reference')));
  expect(fs.readFileSync(path.join(installed, 'dist', 'lambda-bundle', 'index.js')).equals(reference)).toBe(true);
});

test('the consumer app resolves no esbuild, tsx or TypeScript', () => {
  for (const dir of [app, installed]) {
    for (const name of ['esbuild', 'tsx', 'typescript']) expect([name, resolvableFrom(dir, name)]).toEqual([name, undefined]);
  }
  // The control: the same check finds what is installed.
  expect(resolvableFrom(installed, 'aws-jwt-verify')).toBeDefined();
});

test('a plain CommonJS app synthesizes a stack with a new pool, and its Lambda asset adds the Hasura claims', () => {
  run(process.execPath, ['app.js']);
  const assembly = path.join(app, 'cdk.out');
  const template = JSON.parse(fs.readFileSync(path.join(assembly, `${STACK_NAME}.template.json`), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties: FunctionProperties }>;
  };
  const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
  expect(functions).toHaveLength(1);
  const [fn] = functions;
  expect(fn.Properties.Handler).toBe('index.handler');
  // The function's code is the file asset whose hash names its S3 key, as the asset manifest lists it.
  const assets = JSON.parse(fs.readFileSync(path.join(assembly, `${STACK_NAME}.assets.json`), 'utf8')) as {
    files: Record<string, { source: { path: string } }>;
  };
  const assetHash = fn.Properties.Code.S3Key.replace(/\.zip$/, '');
  const assetDir = path.join(assembly, assets.files[assetHash].source.path);
  expect(fs.readdirSync(assetDir)).toEqual(['index.js']);
  expect(
    fs.readFileSync(path.join(assetDir, 'index.js')).equals(fs.readFileSync(path.join(installed, 'dist', 'lambda-bundle', 'index.js'))),
  ).toBe(true);

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

test.each(['hasura-config', 'check-token', 'hasura-cognito-users', 'hasura-cognito-token'])(
  'the installed %s bin runs the compiled code',
  (bin) => {
    const result = spawnSync(path.join(app, 'node_modules', '.bin', bin), ['--help'], { cwd: app, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: /);
  },
);

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
