#!/usr/bin/env node
// Thin launcher: the CLI itself is bundled into dist/cli.js by `npm run build`.
require('../dist/cli.js').main();
