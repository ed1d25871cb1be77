// What the playground page says to its training Web Worker (src/training/browserWorker.ts).
// The worker answers with the worker process's own messages (protocol.ts: ready, epoch, batch,
// stopping, then one of done | error | stopped).
import type { StartMessage, StopMessage } from './protocol';

export interface BrowserStartMessage {
  type: 'start';
  /** As the worker process gets it; no run is saved (runsDir null) and no path is read. */
  start: StartMessage;
  /** Text of the data files the user gave the page, under the path the `csv(...)` call names. */
  files: Record<string, string>;
  /** URL of the folder holding tfjs's .wasm files. */
  wasmBase: string;
}

export type BrowserParentMessage = BrowserStartMessage | StopMessage;

export function isBrowserParentMessage(value: unknown): value is BrowserParentMessage {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'start' || type === 'stop';
}
