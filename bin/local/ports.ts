/** Port selection for the local flow: a taken default moves to a free port; a taken explicit port is an error. */
import * as net from 'node:net';
import { PortUnavailableError } from '../../lambda/errors';

/** Resolves to the port once it was bound and released, or rejects with why it can't be bound. */
function probe(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => reject(new PortUnavailableError(port, host, error.code ?? error.message)));
    server.listen(port, host, () => {
      const bound = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * The port to use: `requested` if given (an error if it can't be bound, never retried), else
 * `fallback` if free, else any free port.
 */
export async function choosePort(host: string, requested: number | undefined, fallback: number): Promise<number> {
  if (requested !== undefined) return probe(requested, host);
  try {
    return await probe(fallback, host);
  } catch {
    return probe(0, host);
  }
}

/**
 * The emulator's and the Lambda host's ports: each as `choosePort` picks it, except that a default
 * the other one already holds (asked for explicitly, or chosen first) is not used: `--port 9230`
 * would otherwise give the Lambda host its default 9230 too, since the probe has released it.
 */
export async function choosePortPair(
  host: string,
  requested: readonly [number | undefined, number | undefined],
  fallbacks: readonly [number, number],
): Promise<[number, number]> {
  const [firstRequested, secondRequested] = requested;
  const first = await choosePort(host, firstRequested, fallbacks[0] === secondRequested ? 0 : fallbacks[0]);
  const second = await choosePort(host, secondRequested, fallbacks[1] === first ? 0 : fallbacks[1]);
  return [first, second];
}
