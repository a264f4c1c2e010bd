#!/usr/bin/env node
// Package bin: runs the compiled users command (`npm run build` writes dist/). In this repository,
// `npm run users` runs the sources through tsx instead.
const cli = require('../../dist/hasura-config/cli-io');
cli.runAsProcess(require('../../dist/hasura-config/users').main);
