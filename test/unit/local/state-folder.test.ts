/**
 * The state folder npm start keeps the local stack in: it creates, reuses and deletes only a
 * folder it made, and checks the emulator's data before starting on it. In-process, no process started.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readDemoPasswords, writeDemoPasswords } from '../../../bin/local/demo-users';
import { keptPasswordsNote, onceNote, stateLines, userLine } from '../../../bin/local/start-text';
import { checkEmulatorData, checkStateFolder, removeStateFolder, startEmptyStateFolder } from '../../../bin/local/state-folder';
import { LOCAL_STATE_VERSION, type LocalStackState, writeLocalStackState } from '../../../hasura-config/local-stack-state';
import { generatePassword, projectPasswordPolicy } from '../../../hasura-config/password';
import { InvalidInputError } from '../../../lambda/errors';

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e]/;
const STATE: LocalStackState = {
  version: LOCAL_STATE_VERSION,
  endpoint: 'http://127.0.0.1:9',
  userPoolId: 'local_4DA54YKg',
  clientId: '3ntdsv0cdiv1h0ahkxc6kn36hw',
};

let dir: string;
let stateDir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hasura-cognito-state-unit-'));
  stateDir = path.join(dir, '.local-stack');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A state folder as npm start leaves it: stack.json, the emulator's data, the demo passwords. */
function provisioned(): string {
  const db = path.join(stateDir, 'cognito-local', '.cognito', 'db');
  fs.mkdirSync(db, { recursive: true });
  fs.writeFileSync(path.join(db, 'clients.json'), '{"Clients":{}}');
  fs.writeFileSync(path.join(db, `${STATE.userPoolId}.json`), '{"Users":{}}');
  writeLocalStackState(stateDir, STATE);
  writeDemoPasswords(stateDir, new Map([['reader@example.com', generatePassword(projectPasswordPolicy(12))]]));
  return db;
}

function errorOf(action: () => unknown): InvalidInputError {
  try {
    action();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('whose folder it is', () => {
  it('accepts no folder, an empty one, and one npm start provisioned', () => {
    expect(() => checkStateFolder(stateDir)).not.toThrow();
    fs.mkdirSync(stateDir);
    expect(() => checkStateFolder(stateDir)).not.toThrow();
    provisioned();
    expect(() => checkStateFolder(stateDir)).not.toThrow();
  });

  it('refuses a folder holding anything else, naming it, and never deletes it', () => {
    provisioned();
    fs.writeFileSync(path.join(stateDir, 'notes.txt'), 'mine');
    expect(errorOf(() => removeStateFolder(stateDir)).message).toBe(
      `--state-dir ${stateDir}: expected a folder npm start made for its state (only stack.json, cognito-local, demo-users.json), or none, found other entries: notes.txt`,
    );
    expect(() => startEmptyStateFolder(stateDir)).toThrow(InvalidInputError);
    expect(fs.readFileSync(path.join(stateDir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(fs.existsSync(path.join(stateDir, 'stack.json'))).toBe(true);
  });

  it('refuses a file', () => {
    fs.writeFileSync(stateDir, '');
    expect(errorOf(() => checkStateFolder(stateDir)).message).toBe(
      `--state-dir ${stateDir}: expected a folder npm start made for its state, or none, found a file`,
    );
  });

  it('escapes the names it prints', () => {
    fs.mkdirSync(stateDir);
    fs.writeFileSync(path.join(stateDir, 'a\u001b[31m\nb'), '');
    expect(errorOf(() => checkStateFolder(stateDir)).message).not.toMatch(UNSAFE);
  });

  it('provisions anew only a folder without a state: what a first start stopped half-way left goes', () => {
    provisioned();
    expect(errorOf(() => startEmptyStateFolder(stateDir)).message).toMatch(/found stack\.json in it$/);
    fs.rmSync(path.join(stateDir, 'stack.json'));
    startEmptyStateFolder(stateDir);
    expect(fs.readdirSync(stateDir)).toEqual([]);
    expect(fs.statSync(stateDir).mode & 0o777).toBe(0o700);
  });
});

describe("the emulator's data, checked before it starts", () => {
  it('accepts the data of the pool the state names', () => {
    provisioned();
    expect(() => checkEmulatorData(stateDir, STATE)).not.toThrow();
  });

  it('names the pool file that is gone, and says --reset starts over', () => {
    const db = provisioned();
    fs.rmSync(path.join(db, `${STATE.userPoolId}.json`));
    expect(errorOf(() => checkEmulatorData(stateDir, STATE)).message).toBe(
      `${path.join(db, `${STATE.userPoolId}.json`)}: expected the emulator's data for the pool ${path.join(stateDir, 'stack.json')} names (npm start -- --reset starts over), found no such file`,
    );
  });

  it('names a data file that is not JSON (cognito-local would exit on it)', () => {
    const db = provisioned();
    fs.writeFileSync(path.join(db, 'clients.json'), '{"Clients":');
    expect(errorOf(() => checkEmulatorData(stateDir, STATE)).message).toMatch(
      new RegExp(`^${path.join(db, 'clients.json')}: .* found a file that is not JSON$`),
    );
  });

  it('names a data folder that is gone', () => {
    provisioned();
    fs.rmSync(path.join(stateDir, 'cognito-local'), { recursive: true });
    expect(errorOf(() => checkEmulatorData(stateDir, STATE)).message).toMatch(/found no such folder$/);
  });
});

describe('the demo passwords kept in the state', () => {
  it('round-trips, readable by its owner only', () => {
    const passwords = new Map([
      ['reader@example.com', generatePassword(projectPasswordPolicy(12))],
      ['admin@example.com', generatePassword(projectPasswordPolicy(40))],
    ]);
    fs.mkdirSync(stateDir);
    writeDemoPasswords(stateDir, passwords);
    expect(readDemoPasswords(stateDir)).toEqual(passwords);
    expect(fs.statSync(path.join(stateDir, 'demo-users.json')).mode & 0o777).toBe(0o600);
  });

  it('is none before a demo user was created', () => {
    expect(readDemoPasswords(stateDir)).toBeUndefined();
  });

  it.each([
    ['not JSON', '{', 'found text that is not JSON'],
    ['another version', '{"version":2,"passwords":{}}', 'version: expected 1 (npm start -- --reset starts over), found "2"'],
    [
      'no passwords',
      '{"version":1}',
      'passwords: expected the JSON npm start writes (npm start -- --reset starts over), found "undefined"',
    ],
    [
      'a password that could paint the terminal',
      '{"version":1,"passwords":{"a@example.com":"x\\u001b[2Jyyyyyyyy"}}',
      'found another value',
    ],
  ])('refuses %s, naming the file', (_, text, ending) => {
    fs.mkdirSync(stateDir);
    fs.writeFileSync(path.join(stateDir, 'demo-users.json'), text);
    const message = errorOf(() => readDemoPasswords(stateDir)).message;
    expect(message.startsWith(path.join(stateDir, 'demo-users.json'))).toBe(true);
    expect(message.endsWith(ending)).toBe(true);
    expect(message).not.toMatch(UNSAFE);
  });
});

describe('what npm start prints about the state', () => {
  it('shows a password only when the user was just created', () => {
    expect(userLine('admin@example.com', 'pw', ['admins'])).toBe('admin@example.com  password pw  groups admins');
    expect(userLine('admin@example.com', undefined, ['admins'])).toBe('admin@example.com  groups admins');
    expect(keptPasswordsNote('.local-stack/demo-users.json')).toMatch(/shown when they were created.*--reset makes new ones/);
  });

  it('says whether the pool is new or reused, and what cdk.json changed', () => {
    expect(stateLines('.local-stack', false, [])).toEqual([
      'State              .local-stack (new: the next npm start reuses this pool; --reset starts over)',
    ]);
    expect(stateLines('.local-stack', true, ['created the group editors'])).toEqual([
      'State              .local-stack (reused: the pool, app client, users and groups of an earlier start)',
      '  from cdk.json:   created the group editors',
    ]);
    expect(onceNote('.local-stack')).toBe('The pool stays in .local-stack for the next npm start (npm start -- --reset starts over).');
  });
});
