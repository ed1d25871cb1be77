#!/usr/bin/env node
// Launcher of the `seqmodel` command; the CLI itself is bundled into dist/cli.js by
// `npm run build`. Commands that analyse on every edit (lsp) or may analyse large files run
// in a Node started with the engine's V8 flags and allocator setting (src/server/engineProcess.ts),
// which cannot be changed once a process runs.
'use strict';
const path = require('node:path');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
const { ENGINE_V8_FLAGS, engineEnv } = require(cli);
const missing = ENGINE_V8_FLAGS.filter((f) => !process.execArgv.includes(f));
const env = engineEnv();
const unset = Object.keys(env).some((k) => process.env[k] !== env[k]);
if ((missing.length || unset) && process.argv[2] === 'lsp') {
  const { spawn } = require('node:child_process');
  const child = spawn(process.execPath, [...process.execArgv, ...missing, cli, ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, ...env } });
  child.on('exit', (code, signal) => (signal ? process.kill(process.pid, signal) : process.exit(code ?? 1)));
  for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
} else {
  require(cli).main();
}
