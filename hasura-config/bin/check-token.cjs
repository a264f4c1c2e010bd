#!/usr/bin/env node
// Package bin: runs the compiled token checker (`npm run build` writes dist/). In this repository,
// `npm run check-token` runs the sources through tsx instead.
const cli = require('../../dist/hasura-config/cli-io');
cli.runAsProcess(require('../../dist/hasura-config/check-token').main);
