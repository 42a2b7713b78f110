#!/usr/bin/env node
'use strict';
// From a checkout the CLI runs its TypeScript sources (no build step after `npm ci`);
// a built image sets WYZE_NVR_DIST=1 and runs the compiled output instead.
const path = require('node:path');
const root = path.join(__dirname, '..');
if (process.env.WYZE_NVR_DIST === '1') {
  require(path.join(root, 'dist/apps/cli/apps/cli/src/main.js'));
} else {
  require(path.join(root, 'scripts/register.js'));
  require(path.join(root, 'apps/cli/src/main.ts'));
}
