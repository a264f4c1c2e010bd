#!/usr/bin/env node
// Package bin: runs the TypeScript generator through tsx (a devDependency of this repository).
require('tsx/cjs');
require('../cli-io').runAsProcess(require('../generate').main);
