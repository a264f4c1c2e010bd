import { choosePort, choosePortPair } from '../../../bin/local/ports';
import { readOptions } from '../../../bin/start';
import { InvalidInputError } from '../../../lambda/errors';

const HOST = '127.0.0.1';
const freePort = () => choosePort(HOST, undefined, 0);

describe('choosePortPair', () => {
  it('uses both defaults when nothing is asked for', async () => {
    const defaults: [number, number] = [await freePort(), await freePort()];
    expect(await choosePortPair(HOST, [undefined, undefined], defaults)).toEqual(defaults);
  });

  it('does not give the second the default the first was asked for (npm start -- --port 9230)', async () => {
    const defaults: [number, number] = [await freePort(), await freePort()];
    const [first, second] = await choosePortPair(HOST, [defaults[1], undefined], defaults);
    expect(first).toBe(defaults[1]);
    expect(second).not.toBe(first);
  });

  it('does not give the first the default the second was asked for (npm start -- --lambda-port 9229)', async () => {
    const defaults: [number, number] = [await freePort(), await freePort()];
    const [first, second] = await choosePortPair(HOST, [undefined, defaults[0]], defaults);
    expect(second).toBe(defaults[0]);
    expect(first).not.toBe(second);
  });
});

it('npm start refuses the same port for the emulator and the Lambda host, before starting anything', () => {
  expect(() => readOptions(['--port', '9300', '--lambda-port', '9300'])).toThrow(InvalidInputError);
  expect(() => readOptions(['--port', '9300', '--lambda-port', '9300'])).toThrow(
    '--lambda-port: expected a port other than --port, found 9300',
  );
});
