// Runs TypeScript sources directly (tests, CLI from a checkout): swc transpiles, tsconfig-paths maps @wyze-nvr/* aliases.
'use strict';
const path = require('node:path');
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || path.join(__dirname, '..', 'tsconfig.json');
require('@swc-node/register');
const tsconfigPaths = require('tsconfig-paths');
const { compilerOptions } = require('../tsconfig.json');
tsconfigPaths.register({ baseUrl: path.join(__dirname, '..'), paths: compilerOptions.paths });
