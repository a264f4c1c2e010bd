/**
 * `npm start`'s checks before anything starts (options, `--out`), and the text it prints itself.
 * In-process: nothing here starts a process.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeDemoPasswords } from '../../../bin/local/demo-users';
import { checkLocalEnvTarget, LOCAL_ENV_MARKER, writeLocalEnvFile } from '../../../bin/local/local-env-file';
import { FORGEABLE_NOTICE, hasuraHeading, hasuraHint, USAGE, userLine } from '../../../bin/local/start-text';
import { failureReport, readOptions, validate } from '../../../bin/start';
import { writeLocalStackState } from '../../../hasura-config/local-stack-state';
import { ChildProcessError, InvalidInputError, JwksUnavailableError } from '../../../lambda/errors';

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e]/;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hasura-cognito-start-unit-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('readOptions', () => {
  it.each([['--help'], ['-h']])('%s asks for the usage', (flag) => {
    expect(readOptions([flag]).help).toBe(true);
  });

  it('defaults: no --force, no --reset, the repository cdk.json, hasura-config/local.env and .local-stack', () => {
    const options = readOptions([]);
    expect(options).toMatchObject({ help: false, once: false, force: false, reset: false });
    expect(options.out).toBe(path.join(__dirname, '..', '..', '..', 'hasura-config', 'local.env'));
    expect(options.stateDir).toBe(path.join(__dirname, '..', '..', '..', '.local-stack'));
  });

  it('resolves --state-dir against the working directory', () => {
    expect(readOptions(['--state-dir', 'state', '--reset'])).toMatchObject({ stateDir: path.resolve('state'), reset: true });
  });

  it('resolves --out against the working directory', () => {
    expect(readOptions(['--out', 'x.env', '--force'])).toMatchObject({ out: path.resolve('x.env'), force: true });
  });

  it('names an unknown option, escaped, and points at --help', () => {
    expect(() => readOptions(['--\u001b[2Jx'])).toThrow(
      /^arguments: expected the options npm start -- --help shows, found Unknown option '--\u001b\[2Jx'/,
    );
  });
});

describe('the usage', () => {
  it('names every option readOptions takes, and says what the local flow is', () => {
    for (const flag of [
      '--once',
      '--reset',
      '--port N',
      '--lambda-port N',
      '--cdk-json FILE',
      '--out FILE',
      '--force',
      '--state-dir DIR',
      '-h, --help',
    ])
      expect(USAGE).toContain(flag);
    expect(USAGE).toContain('forge');
    expect(USAGE).toContain('.local-stack');
  });
});

describe('--out: npm start replaces only a file it wrote', () => {
  const out = () => path.join(dir, 'hasura.env');

  it('accepts no file, in an existing directory', () => {
    expect(() => checkLocalEnvTarget(out(), false)).not.toThrow();
  });

  it('accepts a file npm start wrote, and replaces it', () => {
    writeLocalEnvFile(out(), 'HASURA_GRAPHQL_JWT_SECRET=first\n', false);
    writeLocalEnvFile(out(), 'HASURA_GRAPHQL_JWT_SECRET=second\n', false);
    expect(fs.readFileSync(out(), 'utf8')).toBe(`${LOCAL_ENV_MARKER}\nHASURA_GRAPHQL_JWT_SECRET=second\n`);
    expect(fs.statSync(out()).mode & 0o777).toBe(0o600);
  });

  it('leaves a file with the same content alone, so a Hasura reading it keeps its config', () => {
    expect(writeLocalEnvFile(out(), 'HASURA_GRAPHQL_JWT_SECRET=same\n', false)).toBe('written');
    fs.utimesSync(out(), 1_000_000, 1_000_000);
    expect(writeLocalEnvFile(out(), 'HASURA_GRAPHQL_JWT_SECRET=same\n', false)).toBe('unchanged');
    expect(fs.statSync(out()).mtimeMs).toBe(1_000_000_000);
  });

  it('refuses a file it did not write, naming the file and --force, and leaves it as it was', () => {
    const mine = "# my AWS pool\nHASURA_GRAPHQL_JWT_SECRET='{}'\n";
    fs.writeFileSync(out(), mine);
    let error: unknown;
    try {
      writeLocalEnvFile(out(), 'HASURA_GRAPHQL_JWT_SECRET=local\n', false);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toBe(
      `--out ${out()}: expected no file, a file npm start wrote, or --force, found a file npm start did not write`,
    );
    expect(fs.readFileSync(out(), 'utf8')).toBe(mine);
  });

  it('refuses a file whose marker is not its first line', () => {
    fs.writeFileSync(out(), `# mine\n${LOCAL_ENV_MARKER}\n`);
    expect(() => checkLocalEnvTarget(out(), false)).toThrow(InvalidInputError);
  });

  it('replaces a file it did not write with --force', () => {
    fs.writeFileSync(out(), '# mine\n');
    writeLocalEnvFile(out(), 'HASURA_GRAPHQL_JWT_SECRET=local\n', true);
    expect(fs.readFileSync(out(), 'utf8')).toBe(`${LOCAL_ENV_MARKER}\nHASURA_GRAPHQL_JWT_SECRET=local\n`);
  });

  it('refuses a directory, even with --force', () => {
    fs.mkdirSync(out());
    expect(() => checkLocalEnvTarget(out(), true)).toThrow(`--out ${out()}: expected a file name, found a directory`);
  });

  it('refuses a file in a directory that does not exist', () => {
    const missing = path.join(dir, 'no-such-dir', 'local.env');
    expect(() => checkLocalEnvTarget(missing, true)).toThrow(
      `--out ${missing}: expected a file in an existing directory, found no directory ${path.join(dir, 'no-such-dir')}`,
    );
  });

  it('escapes the file name it prints', () => {
    const named = path.join(dir, 'a\u001b[31m\nrole: admin.env');
    fs.writeFileSync(named, '# mine\n');
    let message = '';
    try {
      checkLocalEnvTarget(named, false);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('a\\u001b[31m\\nrole: admin.env"');
    expect(message).not.toMatch(UNSAFE);
  });

  it('is checked with the config, before start-up: validate() refuses the file', () => {
    fs.writeFileSync(out(), '# mine\n');
    const cdkJson = path.join(dir, 'cdk.json');
    fs.writeFileSync(cdkJson, JSON.stringify({ context: { hasuraCognito: {} } }));
    const state = ['--state-dir', path.join(dir, 'state')];
    expect(() => validate(readOptions(['--cdk-json', cdkJson, '--out', out(), ...state]))).toThrow(InvalidInputError);
    expect(() => validate(readOptions(['--cdk-json', cdkJson, '--out', out(), '--force', ...state]))).not.toThrow();
  });
});

describe('the state, checked with the config before start-up', () => {
  const cdkJson = () => {
    const file = path.join(dir, 'cdk.json');
    fs.writeFileSync(file, JSON.stringify({ context: { hasuraCognito: {} } }));
    return file;
  };
  const options = (...extra: string[]) =>
    readOptions(['--cdk-json', cdkJson(), '--out', path.join(dir, 'local.env'), '--state-dir', path.join(dir, 'state'), ...extra]);

  it('finds none on a first start', () => {
    expect(validate(options())).toEqual({ config: expect.anything() });
  });

  it('reads the state and the kept demo passwords of an earlier start', () => {
    const state = {
      version: 1,
      endpoint: 'http://127.0.0.1:9229',
      userPoolId: 'local_4DA54YKg',
      clientId: '3ntdsv0cdiv1h0ahkxc6kn36hw',
    } as const;
    fs.mkdirSync(path.join(dir, 'state'));
    writeLocalStackState(path.join(dir, 'state'), state);
    expect(validate(options())).toMatchObject({ state, demoPasswords: undefined });
    writeDemoPasswords(path.join(dir, 'state'), new Map([['reader@example.com', 'Abcdefgh1234aZ7%']]));
    expect(validate(options()).demoPasswords).toEqual(new Map([['reader@example.com', 'Abcdefgh1234aZ7%']]));
  });

  it('refuses a state file it cannot read, naming it; --reset does not read it', () => {
    fs.mkdirSync(path.join(dir, 'state'));
    fs.writeFileSync(path.join(dir, 'state', 'stack.json'), '{');
    expect(() => validate(options())).toThrow(`${path.join(dir, 'state', 'stack.json')}: expected the JSON npm start writes`);
    expect(validate(options('--reset')).state).toBeUndefined();
  });

  it('refuses a --state-dir npm start did not make, even with --reset', () => {
    fs.mkdirSync(path.join(dir, 'state'));
    fs.writeFileSync(path.join(dir, 'state', 'mine.txt'), '');
    expect(() => validate(options('--reset'))).toThrow(/^--state-dir .*: expected a folder npm start made for its state/);
  });
});

describe('what npm start prints', () => {
  it('says plainly that local tokens are forgeable', () => {
    expect(FORGEABLE_NOTICE).toMatch(/forgeable by anyone/);
    expect(FORGEABLE_NOTICE).toMatch(/private key published/);
  });

  it('suggests a Hasura bound to 127.0.0.1, never on every interface', () => {
    const hint = hasuraHint('hasura-config/local.env');
    const docker = hint.split('\n').find((line) => line.includes('docker run'))!;
    expect(docker).toContain('--network host');
    expect(docker).toContain('-e HASURA_GRAPHQL_SERVER_HOST=127.0.0.1');
    expect(hint).toContain('-p 127.0.0.1:8080:8080');
    expect(hint).not.toMatch(/-p 8080/);
  });

  it.each([
    ['a bidi override in a group name', 'ad\u202esnim'],
    ['an ESC inside a role name', 'ad\u001b[2Jmin'],
    ['a newline that would forge a line', 'x\nHasura accepts this token.'],
  ])('escapes %s', (_, name) => {
    expect(userLine('admin@example.com', 'pw', [name])).not.toMatch(UNSAFE);
    expect(hasuraHeading(name)).not.toMatch(UNSAFE);
    expect(
      hasuraHint(name)
        .split('\n')
        .find((line) => line.includes('set -a')),
    ).not.toMatch(UNSAFE);
    // Shown as a JSON string literal: quoted, and the exact name once parsed.
    const line = userLine('admin@example.com', 'pw', [name]);
    expect(JSON.parse(line.slice(line.indexOf('groups ') + 'groups '.length))).toBe(name);
  });

  it('prints plain names unchanged', () => {
    expect(userLine('admin@example.com', 'pw', ['admins', 'editors'])).toBe('admin@example.com  password pw  groups admins, editors');
    expect(hasuraHeading('admin')).toBe('  Hasura with x-hasura-role: admin:');
    expect(hasuraHeading(undefined)).toBe('  Hasura:');
  });
});

describe('the error that ends npm start', () => {
  it('is one line with exit code 2 for a usage error', () => {
    expect(failureReport(new InvalidInputError('subject', 'a value', 'one line\n  and another'))).toEqual({
      code: 2,
      text: 'npm start: subject: expected a value, found one line and another',
    });
  });

  it('escapes what the emulator answered, such as a key set it could not parse', () => {
    const error = new JwksUnavailableError(
      'http://127.0.0.1:9229/local_x/.well-known/jwks.json',
      'Unexpected token \u001b[2J\u202e in JSON',
    );
    const report = failureReport(error);
    expect(report.code).toBe(1);
    expect(report.text).not.toMatch(UNSAFE);
    expect(report.text).toBe(`npm start: ${JSON.stringify(error.message).replace('\u001b', '\\u001b').replace('\u202e', '\\u202e')}`);
  });

  it("keeps the lines of a crashed child's stderr, each escaped", () => {
    const report = failureReport(
      new ChildProcessError(
        'cognito-local stopped unexpectedly (code 1): Error: listen\n  at \u001b[31mServer',
        'running until stopped',
        'an exit (code 1)',
      ),
    );
    expect(report.code).toBe(1);
    expect(report.text.split('\n')).toEqual([
      'npm start: cognito-local stopped unexpectedly (code 1): Error: listen',
      '"  at \\u001b[31mServer"',
    ]);
  });
});
