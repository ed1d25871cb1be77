import { startServer } from './nodeServer';

// Entry point of dist/server.js. The extension runs it over IPC (vscode-languageclient adds
// --node-ipc); `node dist/server.js --stdio` serves any other LSP client.

startServer(process.argv.includes('--stdio') ? 'stdio' : 'ipc');
