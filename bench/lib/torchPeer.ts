// Runs bench/torch_peer.py, PyTorch training the same workloads as bench/training.ts, when a
// Python with torch is there. Optional by design: tests and CI never need torch, and the bench
// says how to get it when it is missing.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** What torch_peer.py builds: the model's sizes and layers (see its Model class). */
export interface PeerModel {
  steps: number;
  features: number;
  outputs: number;
  recurrent: { kind: 'simple_rnn' | 'lstm' | 'gru' | 'gru_reset_before'; units: number; activation?: string; return_sequences?: boolean; bidirectional?: boolean };
  /** Word ids into an Embedding(vocab, features) first. */
  vocab?: number;
  /** One-hot steps (the echo data). */
  one_hot?: boolean;
  /** BatchNormalization before and after the recurrent layer (the seed's rnn_bn). */
  batch_norm?: boolean;
  /** A sigmoid on the output (else linear; softmax is inside the cross-entropy). */
  head?: 'linear' | 'sigmoid';
}

/** One workload as the peer trains it: the model plus what the TypeScript side trained. */
export interface PeerWorkload extends PeerModel {
  label: string;
  samples: number;
  validation: number;
  batch: number;
  epochs: number;
  rounds: number;
  warmup_epochs: number;
  unit: 'epochs/s' | 'samples/s';
  optimizer: { name: string; learning_rate: number };
  loss: string;
}

export interface PeerResult {
  label: string;
  /** At the faster thread count. */
  rate: number;
  threads: number;
  rates: Record<string, number>;
}

const SCRIPT = path.join(__dirname, '..', 'torch_peer.py');

/**
 * The first Python that imports torch: `python3` on PATH, then Debian's /usr/bin/python3 (a
 * pyenv or venv python3 first on PATH often lacks the system's python3-torch).
 */
export function findTorchPython(): { python: string; version: string } | null {
  for (const python of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 60_000 });
    if (r.status === 0) return { python, version: r.stdout.trim() };
  }
  return null;
}

export const TORCH_MISSING =
  'PyTorch: not found (neither `python3` nor `/usr/bin/python3` imports torch), so no PyTorch column. ' +
  'On Debian/Ubuntu: `apt-get install python3-torch` (then /usr/bin/python3 has it), or `pip install torch`.';

/** Trains the workloads in one Python process; throws with the script's stderr when it fails. */
export function runPeer(python: string, workloads: PeerWorkload[]): PeerResult[] {
  const r = spawnSync(python, [SCRIPT, JSON.stringify(workloads)], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`bench/torch_peer.py failed (exit ${r.status ?? r.signal}):\n${r.stderr}`);
  return (JSON.parse(r.stdout) as { results: PeerResult[] }).results;
}
