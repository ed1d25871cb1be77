// `npm run playground`: serves dist/playground/ (built by `npm run build`) on this machine and
// prints its URL. A plain static server: the playground needs nothing else, so any static host
// can serve the same files (see docs/playground.md). `--port N` (default 8080; 0 picks a free
// one), `--host H` (default 127.0.0.1).
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { serveStatic } from './static-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'playground');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
};
const port = Number(arg('--port', process.env.PORT ?? '8080'));
const host = arg('--host', '127.0.0.1');

if (!existsSync(path.join(root, 'index.html'))) {
  console.error('dist/playground/ is not built yet: run `npm run build` first.');
  process.exit(1);
}
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a number from 0 to 65535, not "${arg('--port', '')}".`);
  process.exit(2);
}

const server = createServer((request, response) => serveStatic(root, request, response));
server.on('error', (error) => {
  console.error(error.code === 'EADDRINUSE' ? `Port ${port} is in use: pass --port with another one (0 picks a free port).` : String(error));
  process.exit(1);
});
server.listen(port, host, () => {
  const address = server.address();
  console.log(`SeqModel Playground: http://${host}:${address.port}/  (Ctrl-C stops)`);
});
