// Run-time checks of the messages between the host and the webviews. The types in protocol.ts
// hold at compile time only; at run time a message is whatever arrives (a stale page after an
// update, a bug, a null), so each side checks the fields it is about to use before it uses them
// and drops (and reports) anything else instead of throwing inside an event handler.

import type { HostToWebview, WebviewToHost } from './protocol';

type Check = (v: unknown) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str: Check = (v) => typeof v === 'string';
const num: Check = (v) => typeof v === 'number' && !Number.isNaN(v);
const int: Check = (v) => Number.isSafeInteger(v);
const arr = (item: Check): Check => (v) => Array.isArray(v) && v.every(item);
const opt = (check: Check): Check => (v) => v === undefined || check(v);
const oneOf = (...values: unknown[]): Check => (v) => values.includes(v);
/** Numbers of a Keras History: a diverged run's NaN or Infinity is a value too (null once JSON carried it). */
const logs: Check = (v) => isObject(v) && Object.values(v).every((x) => x === null || typeof x === 'number');
const model: Check = (v) => isObject(v) && str(v.name) && Array.isArray(v.layers);
const settings: Check = isObject;
const epochRecord: Check = (v) => isObject(v) && int(v.epoch) && logs(v.logs);
const panel = oneOf('loss', 'prediction', 'summary', 'compare');
const history: Check = (v) => isObject(v) && Object.values(v).every((column) => Array.isArray(column) && column.every((x) => x === null || typeof x === 'number'));
const runMeta: Check = (v) => isObject(v) && str(v.model) && str(v.data) && str(v.backend) && str(v.finishedAt) && num(v.params) && num(v.epochs) && num(v.seconds) && isObject(v.settings) && isObject(v.settings.optimizer);

function shape(fields: Record<string, Check>): Check {
  return (v) => isObject(v) && Object.entries(fields).every(([k, check]) => check(v[k]));
}

const HOST: Record<HostToWebview['type'], Check> = {
  runStarted: shape({ runId: str, label: opt(str), model, backend: str, settings, paths: opt(Array.isArray) }),
  epoch: shape({ runId: str, epoch: int, logs }),
  epochs: shape({ runId: str, epochs: arr(epochRecord) }),
  runEnded: shape({ runId: str, status: oneOf('completed', 'stopped', 'failed'), error: opt(str) }),
  loadRuns: shape({ runs: arr(shape({ runId: str, model, backend: str, settings, status: oneOf('running', 'completed', 'stopped', 'failed'), epochs: arr(epochRecord) })), replace: opt((v) => typeof v === 'boolean') }),
  clearRuns: isObject,
  predictions: (v) =>
    isObject(v) &&
    str(v.modelName) &&
    ((v.task === 'forecast' && int(v.targetFeature) && arr(shape({ input: arr(arr(num)), predicted: arr(num), actual: (a) => a === null || arr(num)(a) }))(v.samples)) ||
      (v.task === 'classification' && arr(shape({ sequence: arr(num), expected: (e) => e === null || num(e), probabilities: arr(num) }))(v.samples))),
  summary: shape({ model }),
  compareRuns: shape({ runs: arr(shape({ path: str, id: str, file: (f) => f === null || str(f), status: oneOf('done', 'stopped', 'failed'), meta: runMeta, history })) }),
};

const WEBVIEW: Record<WebviewToHost['type'], Check> = {
  ready: shape({ panel }),
  openRun: shape({ runPath: str }),
  exportCsv: shape({ panel, suggestedName: str, content: str }),
  exportPng: shape({ panel, suggestedName: str, dataUrl: str }),
  stop: shape({ runId: str }),
  reveal: shape({ start: int, end: int }),
  error: shape({ panel, message: str }),
};

function check<T>(table: Record<string, Check>, value: unknown): value is T {
  if (!isObject(value) || typeof value.type !== 'string' || !Object.hasOwn(table, value.type)) return false;
  return table[value.type](value);
}

/** A message from the host that a page may act on: its `type` is known and its fields have their types. */
export function isHostMessage(value: unknown): value is HostToWebview {
  return check<HostToWebview>(HOST, value);
}

/** A message from a page that the host may act on, checked the same way. */
export function isWebviewMessage(value: unknown): value is WebviewToHost {
  return check<WebviewToHost>(WEBVIEW, value);
}

/** A few characters of what arrived, for the log line that says it was dropped. */
export function describeMessage(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
