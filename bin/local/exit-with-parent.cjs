/**
 * Preloaded (`node --require`) into every child of the local flow, so that a child never outlives
 * the process that started it, however that process ends: a signal it handles, one it cannot
 * handle (SIGKILL), or a crash. The parent opens an IPC channel to each child; the kernel closes it
 * when the parent is gone, and the child sees 'disconnect'. Plain JavaScript: cognito-local runs on
 * plain node, without the TypeScript loader.
 *
 * If HASURA_COGNITO_REMOVE_ON_ORPHAN names a directory, the orphaned child removes it first: the
 * parent, which would have removed it, is gone.
 */
'use strict';
const fs = require('node:fs');

if (process.channel) {
  process.once('disconnect', () => {
    const directory = process.env.HASURA_COGNITO_REMOVE_ON_ORPHAN;
    try {
      if (directory) fs.rmSync(directory, { recursive: true, force: true, maxRetries: 3 });
    } finally {
      process.exit(1);
    }
  });
  // Listening for 'disconnect' refs the channel; the child's own servers decide how long it runs.
  process.channel.unref();
}
