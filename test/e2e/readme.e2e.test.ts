/**
 * The README cannot rot: every shell block in it carries a marker saying how it is proven.
 *   sh tested  run here, line by line, in a copy of the repository; each must exit 0
 *              (`npm start`, which serves until Ctrl-C, gets a Ctrl-C once it says it is serving)
 *   sh ci      run by .ci/run (checked against the script's text)
 *   sh aws     needs an AWS account (the live suite deploys for real); here the CLI and flags are
 *              checked against the commands' own help, and `aws` commands against the AWS SDK's
 *              model of the same API (the AWS CLI is generated from it)
 *   sh docker  needs a Docker engine, which CI does not have; the compose file it starts is
 *              golden-tested
 *   sh package a consumer's install of the published package, which the package e2e test does
 *              with the packed tarball: here each command must be exactly that install
 *   sh local   needs `npm start` serving in another terminal; checked against the commands' help
 *              as for aws (test/e2e/users-token.e2e.test.ts runs the same commands on a served stack)
 * A block without a marker fails the test, so a new command cannot slip in unproven.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as cognitoIdp from '@aws-sdk/client-cognito-identity-provider';
import * as ssm from '@aws-sdk/client-ssm';
import { NormalizedSchema } from '@smithy/core/schema';
import { LOCAL_HOST } from '../../bin/local/local-stack';
import { choosePort } from '../../bin/local/ports';

jest.setTimeout(180_000);

const ROOT = path.join(__dirname, '..', '..');
const MARKERS = ['tested', 'ci', 'aws', 'docker', 'package', 'local'] as const;
type Marker = (typeof MARKERS)[number];

interface ShellBlock {
  marker: Marker | undefined;
  line: number;
  commands: string[];
}

function shellBlocks(markdown: string): ShellBlock[] {
  const blocks: ShellBlock[] = [];
  const fence = /^```(sh|bash|shell)\b([^\n]*)\n([\s\S]*?)^```$/gm;
  for (const match of markdown.matchAll(fence)) {
    const words = match[2].trim().split(/\s+/).filter(Boolean);
    blocks.push({
      marker: MARKERS.find((m) => words.includes(m)),
      line: markdown.slice(0, match.index).split('\n').length,
      commands: match[3]
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#')),
    });
  }
  return blocks;
}

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const blocks = shellBlocks(readme);

// Never reach an AWS account from `npm test`, whatever credentials the developer has.
const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
Object.assign(env, {
  AWS_SHARED_CREDENTIALS_FILE: path.join(os.tmpdir(), 'hasura-cognito-no-credentials'),
  AWS_CONFIG_FILE: path.join(os.tmpdir(), 'hasura-cognito-no-config'),
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  CDK_DISABLE_VERSION_CHECK: 'true',
  CDK_DISABLE_CLI_TELEMETRY: 'true',
  CI: 'true',
});

it('marks every shell block with how it is proven', () => {
  expect(blocks.length).toBeGreaterThan(5);
  const unmarked = blocks.filter((b) => b.marker === undefined).map((b) => `README.md:${b.line}`);
  expect(unmarked).toEqual([]);
});

it('lists every section in its table of contents, with working anchors', () => {
  // GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens.
  const anchor = (heading: string) =>
    heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N} -]/gu, '')
      .replace(/ /g, '-');
  const sections = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]).filter((h) => h !== 'Contents');
  const contents = readme.slice(readme.indexOf('## Contents'), readme.indexOf('\n## ', readme.indexOf('## Contents') + 1));
  const listed = [...contents.matchAll(/^- \[(.+)\]\(#(.+)\)$/gm)].map((m) => ({ title: m[1], anchor: m[2] }));
  expect(listed.map((l) => l.title)).toEqual(sections);
  for (const entry of listed) expect(entry.anchor).toBe(anchor(entry.title));
  // A link may point at a subsection too.
  const headings = [...readme.matchAll(/^#{2,3} (.+)$/gm)].map((m) => anchor(m[1]));
  for (const link of readme.matchAll(/\]\(#([^)]+)\)/g)) expect(headings).toContain(link[1]);
});

it('gives the set-up, run and test commands the guide promises', () => {
  const all = blocks.flatMap((b) => b.commands);
  expect(all).toEqual(expect.arrayContaining(['npm install', 'npm start', 'npm test']));
});

it('runs every block marked ci in .ci/run', () => {
  const ci = fs
    .readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8')
    .split('\n')
    .map((l) => l.trim());
  // CI installs with `npm ci`: exactly the lockfile `npm install` wrote, refusing one out of sync.
  const inCi: Readonly<Record<string, string>> = { 'npm install': 'npm ci' };
  for (const command of blocks.filter((b) => b.marker === 'ci').flatMap((b) => b.commands)) {
    const form = inCi[command] ?? command;
    // `npm test` may carry reporter options in CI: `npm test -- --ci …`.
    expect([command, ci.some((line) => line === form || line.startsWith(`${form} `))]).toEqual([command, true]);
  }
});

it('installs the package, in the blocks marked package, exactly as the package e2e test does', () => {
  const { name } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string };
  const commands = blocks.filter((b) => b.marker === 'package').flatMap((b) => b.commands);
  expect(commands.length).toBeGreaterThan(0);
  for (const command of commands) expect(command).toBe(`npm install ${name}`);
  expect(fs.readFileSync(path.join(ROOT, 'test', 'e2e', 'package.e2e.test.ts'), 'utf8')).toMatch(/run\('npm', \['install',.*tarball\]\)/);
});

it('has git ignore every file its commands tell a user to generate', () => {
  const generated = blocks
    .flatMap((b) => b.commands)
    .flatMap((command) => [...command.matchAll(/--(?:out|outputs-file) (\S+)/g)].map((m) => m[1]));
  expect(generated).toEqual(expect.arrayContaining(['cdk-outputs.json', 'hasura.env', 'compose.yaml', 'auth-config.hml']));
  const notIgnored = generated.filter(
    (file) => spawnSync('git', ['check-ignore', '--quiet', '--no-index', file], { cwd: ROOT }).status !== 0,
  );
  expect(notIgnored).toEqual([]);
});

it('uses only subcommands and flags that exist in the blocks marked aws or local', async () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  // Each help text is asked for once, and all of them at the same time: every one starts a CLI.
  const helps = new Map<string, Promise<{ status: number | null; stdout: string }>>();
  const helpOf = (file: string, args: string[]) => {
    const key = [file, ...args].join(' ');
    if (!helps.has(key)) helps.set(key, run(file, args));
    return helps.get(key)!;
  };
  const checks = blocks
    .filter((b) => b.marker === 'aws' || b.marker === 'local')
    .flatMap((b) => b.commands)
    .map(async (line) => {
      // `printf '%s' "$TOKEN" | npm run -s …`: the command checked is the one the pipe feeds;
      // `TOKEN=$(npm run -s …)`: the command whose output is kept.
      const command = line
        .split(' | ')
        .at(-1)!
        .replace(/^[A-Z_]+=\$\((.*)\)$/, '$1');
      const words = command.split(/\s+/).filter((w) => w !== '-s');
      const flags = words.filter((w) => w.startsWith('--') && w !== '--');
      if (words[0] === 'aws') {
        checkAwsCliCommand(words);
        return;
      }
      let help: string;
      if (words[0] === 'npx' && words[1] === 'cdk') {
        help = (await helpOf(path.join(ROOT, 'node_modules', '.bin', 'cdk'), [words[2], '--help'])).stdout;
        expect(help).toContain(`cdk ${words[2]}`);
      } else if (words[0] === 'npm' && words[1] === 'run') {
        expect(Object.keys(pkg.scripts)).toContain(words[2]);
        const result = await helpOf('npm', ['run', '-s', words[2], '--', '--help']);
        expect([command, result.status]).toEqual([command, 0]);
        help = result.stdout;
      } else {
        throw new Error(`README command not checkable: ${command}`);
      }
      for (const flag of flags) expect(help).toContain(flag);
    });
  await Promise.all(checks);
});

/** Runs a command to its end without blocking the test process; its exit status and stdout. */
function run(file: string, args: string[]): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout }));
  });
}

/** SDK models of the services whose `aws` commands the README may use, by CLI service name. */
const AWS_API_MODELS: Record<string, Record<string, unknown>> = { 'cognito-idp': cognitoIdp, ssm };
/** Options of the AWS CLI itself, which every command takes. */
const AWS_CLI_OPTIONS = ['--region', '--profile', '--output', '--query', '--endpoint-url', '--no-cli-pager'];

const pascalCase = (kebab: string) =>
  kebab
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

/**
 * `aws <service> <operation> --flag value …`: the operation must exist in the SDK's model, every
 * flag must name a member of its input (`--user-pool-id` is `UserPoolId`), and a shorthand value
 * (`Key=value,…`) of a structure member may only use that structure's members.
 */
function checkAwsCliCommand(words: string[]): void {
  const [, service, operation, ...rest] = words;
  const model = AWS_API_MODELS[service];
  if (model === undefined) throw new Error(`README command not checkable (no SDK model for aws ${service}): ${words.join(' ')}`);
  const request = model[`${pascalCase(operation)}Request$`];
  if (request === undefined) throw new Error(`aws ${service} has no operation ${operation}`);
  const input = NormalizedSchema.of(request as Parameters<typeof NormalizedSchema.of>[0]);
  const members = Object.keys(input.getMemberSchemas());
  rest.forEach((word, index) => {
    if (!word.startsWith('--') || AWS_CLI_OPTIONS.includes(word)) return;
    const member = pascalCase(word.slice(2));
    expect(`${operation} ${word} -> ${members.includes(member) ? member : 'no such member'}`).toBe(`${operation} ${word} -> ${member}`);
    const schema = input.getMemberSchema(member);
    const value = rest[index + 1] ?? '';
    if (schema.isStructSchema() && /^\w+=/.test(value)) {
      const keys = value.split(',').map((pair) => pair.split('=')[0]);
      expect(keys.filter((key) => !Object.keys(schema.getMemberSchemas()).includes(key))).toEqual([]);
    }
  });
}

describe('blocks marked tested, run in a copy of the repository', () => {
  let copy: string;

  beforeAll(() => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'hasura-cognito-readme-'));
    // The copy starts with no local stack: npm start provisions its own, in the copy's .local-stack.
    const skip = new Set(['node_modules', '.git', 'cdk.out', '.local-stack']);
    fs.cpSync(ROOT, copy, { recursive: true, filter: (source) => !skip.has(path.basename(source)) || path.dirname(source) !== ROOT });
    fs.rmSync(path.join(copy, 'hasura-config', 'local.env'), { force: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
    // What `cdk deploy --outputs-file cdk-outputs.json` would have written (placeholder ids).
    fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'outputs-one-stack.json'), path.join(copy, 'cdk-outputs.json'));
  });
  afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

  const tested = blocks.filter((b) => b.marker === 'tested');
  const commands = tested.flatMap((b) => b.commands.map((command) => ({ command, line: b.line })));

  it.each(commands)('README.md:$line  $command', async ({ command }) => {
    if (command === 'npm start') {
      await runUntilServingThenInterrupt(copy);
      expect(fs.existsSync(path.join(copy, 'hasura-config', 'local.env'))).toBe(true);
      // The pool is kept for the next start, in the project's .local-stack.
      expect(fs.existsSync(path.join(copy, '.local-stack', 'stack.json'))).toBe(true);
      return;
    }
    const result = spawnSync('bash', ['-c', command], { cwd: copy, env, encoding: 'utf8', timeout: 120_000 });
    if (result.status !== 0) throw new Error(`exit ${result.status}\n${result.stdout}\n${result.stderr}`);
    for (const written of command.matchAll(/--out (\S+)/g)) expect(fs.statSync(path.join(copy, written[1])).size).toBeGreaterThan(0);
  });
});

/**
 * `npm start` as a person runs it: wait until it serves, then Ctrl-C (SIGINT to its process group).
 * npm itself dies of that signal, as in a terminal; what counts is that the flow stops cleanly:
 * it says so once its children have exited, and their ports are free again.
 */
async function runUntilServingThenInterrupt(cwd: string): Promise<void> {
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('npm', ['start'], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL');
      reject(new Error(`npm start did not serve within 60 s:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Serving until Ctrl-C.')) process.kill(-child.pid!, 'SIGINT');
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    // 'close': every process writing to the pipes has gone, not only npm.
    child.once('close', () => {
      clearTimeout(timer);
      resolve(output);
    });
  });
  expect(output).toContain('Stopped: every process this run started has exited.');
  expect(output).not.toMatch(/^npm start: /m);
  const ports = [...output.matchAll(/^(?:cognito-local|Lambda host) +http:\/\/127\.0\.0\.1:(\d+)/gm)].map((m) => Number(m[1]));
  expect(ports).toHaveLength(2);
  for (const port of ports) await expect(choosePort(LOCAL_HOST, port, port)).resolves.toBe(port);
}
