// The parent side of the predict worker: forks dist/predict.js, sends one request and resolves
// with its reply, or with an error that says why the process ended without one. No vscode.

import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { BackendPreference } from './backendPreference';
import { isPredictReply, type PredictReply, type PredictRequest } from './predictProtocol';

export interface PredictOptions {
  /** Defaults to predict.js beside this bundle (dist/predict.js). */
  workerPath?: string;
  execArgv?: string[];
  /** Loading a model and predicting one sample is quick; a hung process is killed after this. */
  timeoutMs?: number;
}

export function runPrediction(
  request: { runPath: string; input: number[][]; backend: BackendPreference },
  options: PredictOptions = {},
): Promise<PredictReply> {
  const workerPath = options.workerPath ?? path.join(__dirname, 'predict.js');
  if (!existsSync(workerPath)) {
    return Promise.resolve({ type: 'error', message: `The predict worker was not found at ${workerPath}; build the extension (npm run build).` });
  }
  return new Promise((resolve) => {
    let settled = false;
    let stderr = '';
    const settle = (reply: PredictReply) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(reply);
    };
    const child = fork(workerPath, [], {
      execArgv: options.execArgv ?? [],
      // Inside VS Code the binary is Electron: this makes it behave as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle({ type: 'error', message: `The prediction did not finish within ${(options.timeoutMs ?? 60_000) / 1000} s and was stopped.` });
    }, options.timeoutMs ?? 60_000);
    child.stderr?.setEncoding('utf8').on('data', (t: string) => (stderr = (stderr + t).slice(-2000)));
    child.on('message', (raw: unknown) => {
      if (isPredictReply(raw)) settle(raw);
    });
    child.on('error', (err) => settle({ type: 'error', message: `Could not start the predict worker: ${err.message}` }));
    child.on('exit', (code, signal) => {
      const tail = stderr.trim() ? ` Its last output: ${stderr.trim().split('\n').slice(-4).join(' ')}` : '';
      settle({ type: 'error', message: `The predict worker ${signal ? `was killed by ${signal}` : `exited with code ${code}`} without an answer.${tail}` });
    });
    const message: PredictRequest = { type: 'predict', ...request };
    child.send(message);
  });
}
