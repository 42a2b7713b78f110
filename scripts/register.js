// Runs TypeScript sources directly (tests, CLI from a checkout): swc transpiles and maps the @wyze-nvr/* aliases.
//
// Each transpiled file is kept in node_modules/.cache/wyze-nvr-ts under a hash of its path, its source and the
// toolchain (versions, tsconfig.json, this file). A warm start reads those and loads no compiler: the
// TypeScript package @swc-node/register reads tsconfig.json with, and swc's native binding, cost ~75 MB of RSS
// and most of the start-up of a small command such as `wyze-nvr probe`. A miss compiles exactly as
// @swc-node/register does, with the options it derives from tsconfig.json.
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const root = path.join(__dirname, '..');
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || path.join(root, 'tsconfig.json');
// Stack traces point into the .ts sources through the inline source maps each compiled file carries.
process.setSourceMapsEnabled(true);

const cacheDir = path.join(root, 'node_modules', '.cache', 'wyze-nvr-ts');
const toolchain = [
  fs.readFileSync(path.join(__dirname, 'register.js'), 'utf8'),
  fs.readFileSync(process.env.SWC_NODE_PROJECT, 'utf8'),
  ...['@swc-node/register', '@swc/core'].map((p) => fs.readFileSync(path.join(root, 'node_modules', p, 'package.json'), 'utf8')),
  process.env.SWC_NODE_SOURCE_MAP_MODE ?? '',
].join('\0');

let swcCompile;
function transpile(source, filename) {
  if (!swcCompile) {
    const { compile } = require('@swc-node/register/register');
    const { readDefaultTsConfig } = require('@swc-node/register/read-default-tsconfig');
    // What @swc-node/register's register() compiles with.
    const options = { ...readDefaultTsConfig(), module: 1 /* ts.ModuleKind.CommonJS */ };
    swcCompile = (s, f) => compile(s, f, { ...options });
  }
  return swcCompile(source, filename);
}

function cached(source, filename) {
  const file = path.join(cacheDir, `${createHash('sha256').update(toolchain).update('\0').update(filename).update('\0').update(source).digest('hex')}.js`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    // Not compiled yet (or the cache was cleared).
  }
  const code = transpile(source, filename);
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    // A unique name, then rename: a reader sees a whole file or none, even with parallel test processes.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, file);
  } catch {
    // A read-only checkout still runs; it compiles every time.
  }
  return code;
}

Module._extensions['.ts'] = function loadTypeScript(module, filename) {
  module._compile(cached(fs.readFileSync(filename, 'utf8'), filename), filename);
};

// swc already rewrites the @wyze-nvr/* aliases of every file it compiles (static and dynamic imports);
// tsconfig-paths is for an alias required any other way (`node -r ./scripts/register.js -e "require('@wyze-nvr/tutk')"`),
// so it is loaded at the first such request, not at every start.
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveAlias(request, ...rest) {
  if (!request.startsWith('@wyze-nvr/')) return resolveFilename.call(this, request, ...rest);
  Module._resolveFilename = resolveFilename;
  const { compilerOptions } = require('../tsconfig.json');
  require('tsconfig-paths').register({ baseUrl: root, paths: compilerOptions.paths });
  return Module._resolveFilename.call(this, request, ...rest);
};
