/**
 * The live suite's credential lookup, through the real default provider chain (no mock): the
 * environment is isolated (no AWS_* variables, config and credentials files in a temp dir), so
 * the results do not depend on the machine, and nothing goes to the network.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectCredentials } from '../../live/credentials';

const saved = { ...process.env };
let dir: string;
let fileCount = 0;

/** Fresh paths each time: the SDK caches the files it has read, by path. */
function awsFiles(credentials = '', config = ''): void {
  fileCount += 1;
  const credentialsFile = path.join(dir, `credentials-${fileCount}`);
  const configFile = path.join(dir, `config-${fileCount}`);
  if (credentials !== '') fs.writeFileSync(credentialsFile, credentials);
  if (config !== '') fs.writeFileSync(configFile, config);
  process.env.AWS_SHARED_CREDENTIALS_FILE = credentialsFile;
  process.env.AWS_CONFIG_FILE = configFile;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hasura-cognito-live-credentials-'));
});

beforeEach(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  awsFiles();
});

afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

it('answers "none" at once when no source has credentials, and leaves the environment as it was', async () => {
  const started = Date.now();
  const check = await detectCredentials();
  expect(check).toEqual({ kind: 'none', message: expect.stringMatching(/credentials/i) });
  expect(Date.now() - started).toBeLessThan(2000);
  expect(process.env.AWS_EC2_METADATA_DISABLED).toBeUndefined();
});

it('keeps an AWS_EC2_METADATA_DISABLED the user set', async () => {
  process.env.AWS_EC2_METADATA_DISABLED = 'yes';
  await detectCredentials();
  expect(process.env.AWS_EC2_METADATA_DISABLED).toBe('yes');
});

it('finds static keys in the environment', async () => {
  process.env.AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  expect(await detectCredentials()).toEqual({ kind: 'found' });
});

it('finds keys of the AWS_PROFILE profile in the shared credentials file', async () => {
  awsFiles('[live]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
  process.env.AWS_PROFILE = 'live';
  expect(await detectCredentials()).toEqual({ kind: 'found' });
});

it('answers "none" for an AWS_PROFILE that no file defines', async () => {
  awsFiles('[other]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
  process.env.AWS_PROFILE = 'live';
  expect(await detectCredentials()).toEqual({ kind: 'none', message: expect.any(String) });
});

it('answers "timeout" when the lookup takes longer than allowed', async () => {
  // A credential_process that answers after 500 ms: the chain really runs it, and the limit cuts
  // the wait short; with a larger limit the same profile is found.
  const script = path.join(dir, 'slow-credentials.js');
  const answer = { Version: 1, AccessKeyId: 'AKIAIOSFODNN7EXAMPLE', SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
  fs.writeFileSync(script, `setTimeout(() => process.stdout.write(${JSON.stringify(JSON.stringify(answer))}), 500);\n`);
  awsFiles('', `[profile slow]\ncredential_process = ${JSON.stringify(process.execPath)} ${JSON.stringify(script)}\n`);
  process.env.AWS_PROFILE = 'slow';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  const started = Date.now();
  expect(await detectCredentials(100)).toEqual({ kind: 'timeout', afterMs: 100 });
  expect(Date.now() - started).toBeLessThan(400);
  expect(await detectCredentials(5000)).toEqual({ kind: 'found' });
  // By now the first lookup has finished as well (same process, same answer): nothing is left running.
});
