#!/usr/bin/env node
// Package bin: runs the TypeScript token checker through tsx (a devDependency of this repository).
require('tsx/cjs');
require('../cli-io').runAsProcess(require('../check-token').main);
