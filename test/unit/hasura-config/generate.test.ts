/**
 * The generator: golden files for every format, the file written with --out, and every
 * bad-input path (exit 2, one line on stderr naming the problem, nothing written).
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../hasura-config/generate';
import { buildHasuraJwtSecret } from '../../../lib/hasura-jwt-secret';
import {
  CLIENT_ID,
  expectTerminalSafe,
  FORGED_LINE,
  fixtureOutputsWith,
  HIDDEN_CHARACTERS,
  MACHINE_CLIENT_ID,
  makeTempDir,
  NAMESPACE,
  OUTPUTS_FIXTURE,
  OUTPUTS_FIXTURE_ARG,
  POOL_ID,
  REGION,
  REPO_ROOT,
  readText,
  runMain,
} from './helpers';

const GOLDEN_DIR = join(REPO_ROOT, 'test', 'golden');
const ISSUER_OF = (pool: string) => `https://cognito-idp.${REGION}.amazonaws.com/${pool}`;
const run = (argv: string[]) => runMain(main, argv);

// Relative paths in arguments resolve against the repo root (jest's rootDir), like a user's shell.
beforeAll(() => process.chdir(REPO_ROOT));

const EXPLICIT = ['--region', REGION, '--user-pool-id', POOL_ID, '--client-id', CLIENT_ID];

/** Compares with test/golden/<name>; UPDATE_GOLDEN=1 rewrites the file instead. */
function expectGolden(name: string, actual: string): void {
  const path = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  expect(existsSync(path)).toBe(true);
  expect(actual).toBe(readText(path));
}

describe('golden files', () => {
  it.each([
    ['hasura-config.env', ['--outputs', OUTPUTS_FIXTURE_ARG]],
    ['hasura-config.json', ['--outputs', OUTPUTS_FIXTURE_ARG, '--format', 'json']],
    ['compose.yaml', ['--outputs', OUTPUTS_FIXTURE_ARG, '--format', 'compose']],
    ['ddn-auth-config.yaml', ['--outputs', OUTPUTS_FIXTURE_ARG, '--format', 'ddn']],
    ['unauthorized-role.env', [...EXPLICIT, '--unauthorized-role', 'anonymous', '--token-use', 'id']],
    [
      'local-endpoint.env',
      ['--region', REGION, '--user-pool-id', 'local_4DA54YKg', '--client-id', CLIENT_ID, '--endpoint', 'http://127.0.0.1:9229/'],
    ],
    ['compose-custom-env-file.yaml', [...EXPLICIT, '--format', 'compose', '--env-file', 'config/hasura.env']],
    ['ddn-json-claims.yaml', [...EXPLICIT, '--format', 'ddn', '--claims-format', 'json', '--namespace', 'https://example.com/~org/claims']],
  ])('%s', async (name, argv) => {
    const result = await run(argv);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expectGolden(name, result.stdout);
  });
});

describe('the JSON value', () => {
  it('is exactly JSON.stringify(buildHasuraJwtSecret(...)), the same as the stack output', async () => {
    const result = await run(['--outputs', OUTPUTS_FIXTURE_ARG, '--format', 'json']);
    const expected = JSON.stringify(
      buildHasuraJwtSecret({
        region: REGION,
        userPoolId: POOL_ID,
        clientIds: [CLIENT_ID, MACHINE_CLIENT_ID],
        namespace: 'https://hasura.io/jwt/claims',
        claimsFormat: 'stringified_json',
      }),
    );
    expect(result.stdout).toBe(`${expected}\n`);
    expect(result.stdout.trimEnd()).toBe(JSON.parse(readText(OUTPUTS_FIXTURE)).HasuraCognito.HasuraJwtSecret);
  });

  it('takes namespace and format from the stack when the options do not say', async () => {
    const dir = makeTempDir();
    try {
      const secret = buildHasuraJwtSecret({
        region: REGION,
        userPoolId: POOL_ID,
        clientIds: [CLIENT_ID],
        namespace: 'claims.jwt.hasura.io',
        claimsFormat: 'json',
      });
      const file = join(dir.dir, 'outputs.json');
      writeFileSync(
        file,
        JSON.stringify({
          Other: { UserPoolId: POOL_ID, UserPoolClientId: CLIENT_ID, Region: REGION, HasuraJwtSecret: JSON.stringify(secret) },
        }),
      );
      const result = await run(['--outputs', file, '--format', 'json']);
      expect(result).toEqual({ code: 0, stdout: `${JSON.stringify(secret)}\n`, stderr: '' });
    } finally {
      dir.cleanup();
    }
  });

  it("renders the stack's own HasuraJwtSecret, not one rebuilt from the other outputs", async () => {
    // The stack says its audience is the app client alone, whatever MachineClientIds lists.
    const dir = makeTempDir();
    try {
      const file = join(dir.dir, 'outputs.json');
      writeFileSync(file, fixtureOutputsWith({ audience: [CLIENT_ID], allowed_skew: 0 }));
      const result = await run(['--outputs', file, '--format', 'json']);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(result.stdout)).toMatchObject({ audience: [CLIENT_ID], allowed_skew: 0 });
      expect(result.stdout).toBe(`${JSON.parse(readText(file)).HasuraCognito.HasuraJwtSecret}\n`);
    } finally {
      dir.cleanup();
    }
  });

  it('--stack picks a stack of the two-stack fixture: its own secret, as deployed', async () => {
    const result = await run(['--outputs', 'test/fixtures/cdk-outputs-two-stacks.json', '--stack', 'ProductionAuth', '--format', 'json']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      `${JSON.parse(readText(join(REPO_ROOT, 'test', 'fixtures', 'cdk-outputs-two-stacks.json'))).ProductionAuth.HasuraJwtSecret}\n`,
    );
    expect(JSON.parse(result.stdout)).toMatchObject({
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_EXAMPLE',
      audience: ['3example23456789'],
    });
  });

  it('--token-use still applies with --outputs (the secret does not record it)', async () => {
    const result = await run(['--outputs', OUTPUTS_FIXTURE_ARG, '--token-use', 'id']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('# The claims are in the ID token: send "Authorization: Bearer <ID token>".\n');
  });

  it('picks HasuraCognito among several stacks, and --stack picks another', async () => {
    const dir = makeTempDir();
    try {
      const file = join(dir.dir, 'outputs.json');
      const stack = (pool: string, client: string, region: string) => ({
        UserPoolId: pool,
        UserPoolClientId: client,
        Region: region,
        HasuraJwtSecret: JSON.stringify(
          buildHasuraJwtSecret({ region, userPoolId: pool, clientIds: [client], namespace: NAMESPACE, claimsFormat: 'stringified_json' }),
        ),
      });
      writeFileSync(
        file,
        JSON.stringify({ Other: stack('eu-west-1_EXAMPLE', '3example', 'eu-west-1'), HasuraCognito: stack(POOL_ID, CLIENT_ID, REGION) }),
      );
      expect(JSON.parse((await run(['--outputs', file, '--format', 'json'])).stdout).issuer).toContain(POOL_ID);
      expect(JSON.parse((await run(['--outputs', file, '--stack', 'Other', '--format', 'json'])).stdout).audience).toEqual(['3example']);
    } finally {
      dir.cleanup();
    }
  });
});

describe('--out', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.cleanup());

  it('writes the env file with mode 0600 and leaves no temporary file', async () => {
    const out = join(temp.dir, 'hasura.env');
    const result = await run(['--outputs', OUTPUTS_FIXTURE_ARG, '--out', out]);
    expect(result).toEqual({ code: 0, stdout: `wrote ${out}\n`, stderr: '' });
    expect(readText(out)).toBe((await run(['--outputs', OUTPUTS_FIXTURE_ARG])).stdout);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readdirSync(temp.dir)).toEqual(['hasura.env']);
  });

  it('writes other formats with mode 0644', async () => {
    const out = join(temp.dir, 'compose.yaml');
    expect((await run(['--outputs', OUTPUTS_FIXTURE_ARG, '--format', 'compose', '--out', out])).code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o644);
  });

  it('succeeds without writing when the content is identical', async () => {
    const out = join(temp.dir, 'hasura.env');
    await run(['--outputs', OUTPUTS_FIXTURE_ARG, '--out', out]);
    const before = statSync(out);
    const result = await run(['--outputs', OUTPUTS_FIXTURE_ARG, '--out', out]);
    expect(result).toEqual({ code: 0, stdout: `${out} is up to date\n`, stderr: '' });
    expect(statSync(out).ino).toBe(before.ino);
  });

  it('refuses to replace different content without --force (exit 2, file untouched), replaces it with --force', async () => {
    const out = join(temp.dir, 'hasura.env');
    writeFileSync(out, 'HASURA_GRAPHQL_JWT_SECRET=hand-written\n');
    const refused = await run(['--outputs', OUTPUTS_FIXTURE_ARG, '--out', out]);
    expect(refused).toEqual({
      code: 2,
      stdout: '',
      stderr: `hasura-config: ${out} exists with different content; not overwritten (use --force to replace it)\n`,
    });
    expect(readText(out)).toBe('HASURA_GRAPHQL_JWT_SECRET=hand-written\n');

    const forced = await run(['--outputs', OUTPUTS_FIXTURE_ARG, '--out', out, '--force']);
    expect(forced.code).toBe(0);
    expect(readText(out)).toContain("HASURA_GRAPHQL_JWT_SECRET='{");
    expect(readdirSync(temp.dir)).toEqual(['hasura.env']);
  });
});

describe('bad input: exit 2, one line naming the problem, nothing written', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.cleanup());

  const SENTINEL = '# an existing file\n';
  const outputsFile = (content: string) => {
    const file = join(temp.dir, 'outputs.json');
    writeFileSync(file, content);
    return file;
  };

  // [case, argv (run with --out naming an existing file), expected stderr fragment]. The wording of
  // claims-config's own checks is matched loosely: that parser is not this tool's to word.
  const cases: Array<[string, (() => string[]) | string[], string | RegExp]> = [
    ['an unknown option', ['--regoin', REGION], '--regoin: expected a known option (see --help), found an unknown option'],
    ['a bare argument', ['cdk-outputs.json'], 'argument "cdk-outputs.json": expected an option such as --region, found a bare argument'],
    ['an option without value', [...EXPLICIT, '--format'], '--format: expected a value, found nothing'],
    ['an option followed by another option', ['--region', '--user-pool-id', POOL_ID], '--region: expected a value, found nothing'],
    ['a repeated option', ['--region', REGION, '--region', 'eu-west-1'], '--region: expected one value, found the option given twice'],
    ['a value for a flag', [...EXPLICIT, '--force=yes'], '--force: expected no value, found "yes"'],
    [
      '--outputs with --region',
      ['--outputs', OUTPUTS_FIXTURE_ARG, '--region', REGION],
      "--region: expected --outputs without --region (the stack's HasuraJwtSecret says its issuer), found both",
    ],
    [
      '--outputs with --client-id',
      ['--outputs', OUTPUTS_FIXTURE_ARG, '--client-id', CLIENT_ID],
      "--client-id: expected --outputs without --client-id (the stack's HasuraJwtSecret says its audience), found both",
    ],
    [
      '--stack without --outputs',
      [...EXPLICIT, '--stack', 'HasuraCognito'],
      '--stack: expected --outputs FILE with it, found no --outputs',
    ],
    ['no pool at all', [], '--region: expected --outputs FILE, or --region, --user-pool-id and --client-id, found no value'],
    [
      'no client id',
      ['--region', REGION, '--user-pool-id', POOL_ID],
      '--client-id: expected --outputs FILE, or --region, --user-pool-id and --client-id, found no value',
    ],
    [
      'a malformed region',
      ['--region', 'US-EAST-1', '--user-pool-id', POOL_ID, '--client-id', CLIENT_ID],
      '--region: expected an AWS region such as us-east-1, found "US-EAST-1"',
    ],
    [
      'a malformed pool id',
      ['--region', REGION, '--user-pool-id', 'us-east-1-EXAMPLE', '--client-id', CLIENT_ID],
      '--user-pool-id: expected a user pool id such as us-east-1_AbC123, found "us-east-1-EXAMPLE"',
    ],
    [
      'a pool id of another region',
      ['--region', REGION, '--user-pool-id', 'eu-west-1_EXAMPLE', '--client-id', CLIENT_ID],
      '--user-pool-id: expected a user pool id of region us-east-1 (us-east-1_...), found "eu-west-1_EXAMPLE"',
    ],
    [
      'a malformed client id',
      ['--region', REGION, '--user-pool-id', POOL_ID, '--client-id', 'not a client'],
      '--client-id: expected an app client id (letters, digits, _ and +), found "not a client"',
    ],
    [
      'a malformed endpoint',
      [...EXPLICIT, '--endpoint', 'ftp://localhost:9229'],
      '--endpoint: expected an http(s) base URL such as http://127.0.0.1:9229, found "ftp://localhost:9229"',
    ],
    ['an unknown format', [...EXPLICIT, '--format', 'yaml'], '--format: expected one of env, json, compose, ddn, found "yaml"'],
    [
      'a namespace Cognito reserves',
      [...EXPLICIT, '--namespace', 'cognito:groups'],
      /--namespace: expected [^\n]+, found "cognito:groups"/,
    ],
    ['a registered claim as namespace', [...EXPLICIT, '--namespace', 'sub'], /--namespace: expected [^\n]+, found "sub"/],
    ['an empty namespace', [...EXPLICIT, '--namespace='], /--namespace: expected [^\n]+, found ""/],
    [
      'a namespace with a single quote (env format)',
      [...EXPLICIT, '--namespace', "it's"],
      'HASURA_GRAPHQL_JWT_SECRET (from --namespace or --endpoint): expected a value without single quotes',
    ],
    [
      'an unknown claims format',
      [...EXPLICIT, '--claims-format', 'yaml'],
      /--claims-format: expected [^\n]*"stringified_json"[^\n]*, found "yaml"/,
    ],
    ['an unknown token use', [...EXPLICIT, '--token-use', 'refresh'], /--token-use: expected [^\n]*"access"[^\n]*, found "refresh"/],
    [
      'a bad unauthorized role',
      [...EXPLICIT, '--unauthorized-role', ' anonymous'],
      /--unauthorized-role: expected [^\n]+, found " anonymous"/,
    ],
    [
      'an unauthorized role outside the env format',
      [...EXPLICIT, '--format', 'json', '--unauthorized-role', 'anonymous'],
      '--unauthorized-role: expected --format env (it adds HASURA_GRAPHQL_UNAUTHORIZED_ROLE), found --format json',
    ],
    [
      '--env-file outside the compose format',
      [...EXPLICIT, '--env-file', 'hasura.env'],
      '--env-file: expected --format compose (it names the env file compose loads), found --format env',
    ],
    [
      'an env file outside the project',
      [...EXPLICIT, '--format', 'compose', '--env-file', '../hasura.env'],
      '--env-file: expected a relative file name such as hasura.env, found "../hasura.env"',
    ],
    [
      'a missing outputs file',
      ['--outputs', 'no-such-outputs.json'],
      '--outputs no-such-outputs.json: expected a readable cdk outputs file, found no such file',
    ],
    [
      'an outputs file that is not JSON',
      () => ['--outputs', outputsFile('{"HasuraCognito": ')],
      'expected the JSON written by cdk deploy --outputs-file, found text that is not JSON',
    ],
    ['an outputs file that is an array', () => ['--outputs', outputsFile('[]')], 'expected a JSON object of stacks, found an array'],
    [
      'an outputs file without stacks',
      () => ['--outputs', outputsFile('{}')],
      'expected one stack, a stack named HasuraCognito, or --stack NAME, found no stacks',
    ],
    [
      'several stacks, none HasuraCognito',
      ['--outputs', 'test/fixtures/cdk-outputs-two-stacks.json'],
      '--outputs test/fixtures/cdk-outputs-two-stacks.json: expected one stack, a stack named HasuraCognito, or --stack NAME, found stacks StagingAuth, ProductionAuth',
    ],
    [
      'a stack that is not there',
      ['--outputs', OUTPUTS_FIXTURE_ARG, '--stack', 'Nope'],
      '--stack Nope: expected a stack in test/fixtures/outputs-one-stack.json, found stacks HasuraCognito',
    ],
    [
      'a missing output',
      () => ['--outputs', outputsFile(JSON.stringify({ HasuraCognito: { UserPoolId: POOL_ID, Region: REGION } }))],
      'stack HasuraCognito output UserPoolClientId: expected a non-empty string, found no such output',
    ],
    [
      'a malformed output',
      () => [
        '--outputs',
        outputsFile(JSON.stringify({ HasuraCognito: { UserPoolId: POOL_ID, UserPoolClientId: CLIENT_ID, Region: 'Virginia' } })),
      ],
      'stack HasuraCognito output Region: expected an AWS region such as us-east-1, found "Virginia"',
    ],
    [
      'a HasuraJwtSecret output that is not JSON',
      () => [
        '--outputs',
        outputsFile(
          JSON.stringify({ HasuraCognito: { UserPoolId: POOL_ID, UserPoolClientId: CLIENT_ID, Region: REGION, HasuraJwtSecret: '{' } }),
        ),
      ],
      'output HasuraJwtSecret: expected a JSON object, found text that is not a JSON object',
    ],
    // The stack's HasuraJwtSecret says the pool, the clients and the claims: no option may say otherwise.
    [
      '--outputs with --namespace',
      ['--outputs', OUTPUTS_FIXTURE_ARG, '--namespace', 'claims.example.com'],
      "--namespace: expected --outputs without --namespace (the stack's HasuraJwtSecret says its claims_namespace), found both",
    ],
    [
      '--outputs with the same --namespace',
      ['--outputs', OUTPUTS_FIXTURE_ARG, '--namespace', 'https://hasura.io/jwt/claims'],
      "--namespace: expected --outputs without --namespace (the stack's HasuraJwtSecret says its claims_namespace), found both",
    ],
    [
      '--outputs with --claims-format',
      ['--outputs', OUTPUTS_FIXTURE_ARG, '--claims-format', 'json'],
      "--claims-format: expected --outputs without --claims-format (the stack's HasuraJwtSecret says its claims_format), found both",
    ],
    [
      '--outputs with --endpoint',
      ['--outputs', OUTPUTS_FIXTURE_ARG, '--endpoint', 'http://127.0.0.1:9229'],
      "--endpoint: expected --outputs without --endpoint (the stack's HasuraJwtSecret says its issuer and jwk_url), found both",
    ],
    [
      'a stack without a HasuraJwtSecret output (deployed by an older version)',
      () => ['--outputs', outputsFile(fixtureOutputsWith(null))],
      /stack HasuraCognito output HasuraJwtSecret: expected the stack's Hasura JWT config \(redeploy the stack: npx cdk deploy --outputs-file [^\n]+\), found no such output\n$/,
    ],
    // A tampered HasuraJwtSecret output: refused, naming the field, never rendered.
    [
      'a HasuraJwtSecret whose jwk_url is plain http to another host',
      () => ['--outputs', outputsFile(fixtureOutputsWith({ jwk_url: 'http://attacker.example/us-east-1_EXAMPLE/.well-known/jwks.json' }))],
      'stack HasuraCognito output HasuraJwtSecret field jwk_url: expected an https URL (http only for a loopback host: 127.0.0.0/8, [::1] or localhost), found "http://attacker.example/us-east-1_EXAMPLE/.well-known/jwks.json"',
    ],
    [
      'a HasuraJwtSecret without audience',
      () => ['--outputs', outputsFile(fixtureOutputsWith({ audience: undefined }))],
      'stack HasuraCognito output HasuraJwtSecret field audience: expected a non-empty array of app client ids (letters, digits, _ and +), found nothing',
    ],
    [
      'a HasuraJwtSecret with a wrong field',
      () => ['--outputs', outputsFile(fixtureOutputsWith({ type: 'HS256' }))],
      'stack HasuraCognito output HasuraJwtSecret field type: expected "RS256", found "HS256"',
    ],
    [
      'a HasuraJwtSecret with an extra field',
      () => ['--outputs', outputsFile(fixtureOutputsWith({ claims_map: { 'x-hasura-allowed-roles': { path: '$.custom:roles' } } }))],
      'stack HasuraCognito output HasuraJwtSecret field claims_map: expected no such field: the secret has exactly type, jwk_url, claims_format, claims_namespace, issuer, audience and allowed_skew, found one',
    ],
    [
      'a HasuraJwtSecret of another pool',
      () => [
        '--outputs',
        outputsFile(
          fixtureOutputsWith({
            issuer: `${ISSUER_OF('us-east-1_OTHER')}`,
            jwk_url: `${ISSUER_OF('us-east-1_OTHER')}/.well-known/jwks.json`,
          }),
        ),
      ],
      'stack HasuraCognito output HasuraJwtSecret field issuer: expected https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE (the issuer of output UserPoolId), found "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OTHER"',
    ],
  ];

  it.each(cases)('%s', async (_name, argvOrFactory, fragment) => {
    const out = join(temp.dir, 'existing.env');
    writeFileSync(out, SENTINEL);
    const argv = typeof argvOrFactory === 'function' ? argvOrFactory() : argvOrFactory;
    const before = readdirSync(temp.dir).sort();
    const result = await run([...argv, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^hasura-config: [^\n]+\n$/);
    if (typeof fragment === 'string') expect(result.stderr).toContain(fragment);
    else expect(result.stderr).toMatch(fragment);
    expect(readText(out)).toBe(SENTINEL);
    expect(readdirSync(temp.dir).sort()).toEqual(before);
  });

  it('--force without --out', async () => {
    expect(await run([...EXPLICIT, '--force'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'hasura-config: --force: expected --out FILE with it, found no --out\n',
    });
  });

  it('--out in a directory that does not exist', async () => {
    const out = join(temp.dir, 'missing', 'hasura.env');
    const result = await run([...EXPLICIT, '--out', out]);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `hasura-config: --out ${out}: expected a writable file in an existing directory, found an error (ENOENT)\n`,
    });
    expect(readdirSync(temp.dir)).toEqual([]);
  });

  it('--out naming a directory', async () => {
    const out = join(temp.dir, 'dir');
    mkdirSync(out);
    const result = await run([...EXPLICIT, '--out', out]);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `hasura-config: --out ${out}: expected a regular file or no file, found a directory\n`,
    });
    expect(readdirSync(out)).toEqual([]);
  });

  it('--help prints the usage and exits 0', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: hasura-config \(/);
    expect(result.stdout).toContain('In a clone of the repository: npm run hasura-config -- <options>.');
  });
});

describe('values from options and files are printed escaped', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.cleanup());

  it('--out naming a file with escapes and a newline: "wrote" and "is up to date" stay one escaped line', async () => {
    const out = join(temp.dir, `hasura${FORGED_LINE}${HIDDEN_CHARACTERS}.env`);
    const wrote = await run(['--outputs', OUTPUTS_FIXTURE_ARG, '--out', out]);
    expect(wrote.code).toBe(0);
    expectTerminalSafe(wrote.stdout, 1);
    expect(JSON.parse(wrote.stdout.slice('wrote '.length))).toBe(out);
    const again = await run(['--outputs', OUTPUTS_FIXTURE_ARG, '--out', out]);
    expect(again.code).toBe(0);
    expectTerminalSafe(again.stdout, 1);
    expect(again.stdout.endsWith(' is up to date\n')).toBe(true);
  });

  const outputsFile = (document: unknown) => {
    const file = join(temp.dir, 'outputs.json');
    writeFileSync(file, JSON.stringify(document));
    return file;
  };

  it.each(['env', 'json', 'ddn'])(
    'a namespace with escapes, C1 and bidi: --format %s prints it \\u-escaped, the same value',
    async (format) => {
      const namespace = `https://example.com/${FORGED_LINE}\u2028${HIDDEN_CHARACTERS}`;
      const result = await run([...EXPLICIT, '--namespace', namespace, '--format', format]);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expectTerminalSafe(result.stdout, result.stdout.split('\n').length - 1);
      if (format === 'json') expect(JSON.parse(result.stdout).claims_namespace).toBe(namespace);
      if (format === 'env')
        expect(JSON.parse(/^HASURA_GRAPHQL_JWT_SECRET='(.*)'$/m.exec(result.stdout)![1]).claims_namespace).toBe(namespace);
      if (format === 'ddn') expect(JSON.parse(/^ {10}location: (.*)$/m.exec(result.stdout)![1])).toBe(`/${namespace.replace(/\//g, '~1')}`);
    },
  );

  it.each<[string, () => string[]]>([
    [
      'an outputs file whose stack name and output hold escapes',
      () => [
        '--outputs',
        outputsFile({
          [`Evil${FORGED_LINE}`]: { UserPoolId: POOL_ID, UserPoolClientId: CLIENT_ID, Region: `us-east-1${HIDDEN_CHARACTERS}` },
        }),
      ],
    ],
    [
      'an outputs file with several stacks named with escapes',
      () => ['--outputs', outputsFile({ [`A${FORGED_LINE}`]: {}, [`B${HIDDEN_CHARACTERS}`]: {} })],
    ],
    ['a --stack with escapes', () => ['--outputs', OUTPUTS_FIXTURE_ARG, '--stack', `Nope${FORGED_LINE}`]],
    [
      'a malformed UserPoolId output with C1 and bidi',
      () => [
        '--outputs',
        outputsFile({ HasuraCognito: { UserPoolId: `us-east-1_${HIDDEN_CHARACTERS}`, UserPoolClientId: CLIENT_ID, Region: REGION } }),
      ],
    ],
    [
      'a client id in MachineClientIds with escapes',
      () => [
        '--outputs',
        outputsFile({
          HasuraCognito: { UserPoolId: POOL_ID, UserPoolClientId: CLIENT_ID, Region: REGION, MachineClientIds: `ok,${HIDDEN_CHARACTERS}` },
        }),
      ],
    ],
    [
      'a HasuraJwtSecret output whose jwk_url differs, with C1 and bidi',
      () => {
        const deployed = {
          ...buildHasuraJwtSecret({
            region: REGION,
            userPoolId: POOL_ID,
            clientIds: [CLIENT_ID],
            namespace: 'https://hasura.io/jwt/claims',
            claimsFormat: 'stringified_json',
          }),
          jwk_url: `https://x${HIDDEN_CHARACTERS}`,
        };
        return [
          '--outputs',
          outputsFile({
            HasuraCognito: { UserPoolId: POOL_ID, UserPoolClientId: CLIENT_ID, Region: REGION, HasuraJwtSecret: JSON.stringify(deployed) },
          }),
        ];
      },
    ],
    ['an unknown option with escapes', () => [`--x${FORGED_LINE}`, REGION]],
    ['a bare argument with C1 and bidi', () => [`cdk\u0085\u202e.json`]],
    ['a region with C1', () => ['--region', `us-east-1\u009b2J`, '--user-pool-id', POOL_ID, '--client-id', CLIENT_ID]],
    ['a flag given a value with C1', () => [...EXPLICIT, `--force=yes\u0085`]],
    ["a bad namespace with C1 (checked by the Lambda's parser)", () => [...EXPLICIT, '--namespace', `cognito:\u0085${FORGED_LINE}`]],
    [
      'an unauthorized role with C1 and bidi (the env file single-quotes it)',
      () => [...EXPLICIT, '--unauthorized-role', `anon\u0085\u202e`],
    ],
    ['a format with C1 and bidi', () => [...EXPLICIT, '--format', `env${HIDDEN_CHARACTERS}`]],
    ['an outputs path with escapes', () => ['--outputs', join(temp.dir, `missing${FORGED_LINE}.json`)]],
  ])('%s: exit 2, one escaped line', async (_name, argv) => {
    const result = await run(argv());
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.startsWith('hasura-config: ')).toBe(true);
    expectTerminalSafe(result.stderr, 1);
  });
});
