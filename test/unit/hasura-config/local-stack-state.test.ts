import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  LOCAL_STATE_VERSION,
  type LocalStackState,
  localStatePort,
  parseLocalStackState,
  readLocalStackState,
  writeLocalStackState,
} from '../../../hasura-config/local-stack-state';

const STATE: LocalStackState = {
  version: LOCAL_STATE_VERSION,
  endpoint: 'http://127.0.0.1:9229',
  userPoolId: 'local_4DA54YKg',
  clientId: '3ntdsv0cdiv1h0ahkxc6kn36hw',
};

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-state-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

it('round-trips what npm start writes, with the file readable only by its owner', () => {
  writeLocalStackState(dir, STATE);
  expect(readLocalStackState(dir)).toEqual(STATE);
  expect(fs.statSync(path.join(dir, 'stack.json')).mode & 0o777).toBe(0o600);
  expect(localStatePort(STATE)).toBe(9229);
});

it('answers undefined when nothing was provisioned yet', () => {
  expect(readLocalStackState(dir)).toBeUndefined();
});

it.each([
  ['not JSON', '{', 'stack.json: expected the JSON npm start writes (npm start -- --reset starts over), found text that is not JSON'],
  ['another version', JSON.stringify({ ...STATE, version: 2 }), 'stack.json version: expected 1'],
  [
    'an endpoint off this machine',
    JSON.stringify({ ...STATE, endpoint: 'http://10.0.0.1:9229' }),
    'stack.json endpoint: expected http://127.0.0.1:<port>',
  ],
  [
    'an endpoint with no port',
    JSON.stringify({ ...STATE, endpoint: 'http://127.0.0.1' }),
    'stack.json endpoint: expected http://127.0.0.1:<port>',
  ],
  [
    'an endpoint with a path',
    JSON.stringify({ ...STATE, endpoint: 'http://127.0.0.1:9229/x' }),
    'stack.json endpoint: expected http://127.0.0.1:<port>',
  ],
  ['a forged pool id', JSON.stringify({ ...STATE, userPoolId: 'local_x\u001b[2J' }), 'stack.json userPoolId: expected a user pool id'],
  ['a client id that is not one', JSON.stringify({ ...STATE, clientId: 'a b' }), 'stack.json clientId: expected an app client id'],
  ['a missing field', JSON.stringify({ version: 1, endpoint: STATE.endpoint }), 'stack.json userPoolId: expected a string'],
])('refuses %s, naming the file and field', (_, text, message) => {
  expect(() => parseLocalStackState(text, 'stack.json')).toThrow(message);
});

it('never prints a control character from the file', () => {
  let message = '';
  try {
    parseLocalStackState(JSON.stringify({ ...STATE, clientId: '\u001b]0;x\u0007' }), 'stack.json');
  } catch (error) {
    message = (error as Error).message;
  }
  expect(message).toMatch(/clientId/);
  expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
});
