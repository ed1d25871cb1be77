// A failed run, in words for the user: a one-line notification and the log's fuller text.
// Pure (no vscode). The runner's error kinds: nan, data, oom, build, internal, crashed.

import type { ErrorMessage } from '../../training/protocol';

const TITLES: Record<ErrorMessage['kind'], string> = {
  nan: 'the loss became NaN',
  data: 'the data could not be read',
  oom: 'out of memory',
  build: 'the model could not be built',
  internal: 'internal error',
  crashed: 'the training worker crashed',
};

export interface ErrorReport {
  /** For the notification: short, with the hint. */
  summary: string;
  /** For the output channel: every line. */
  log: string;
}

export function errorReport(model: string, error: ErrorMessage): ErrorReport {
  // A data error's message starts with the file as the user wrote it and the line (`data/x.csv,
  // line 3: ...`): error.file and error.line are for links, not to be printed again.
  const firstLine = error.message.split('\n')[0];
  const hint = error.hint ? ` ${error.hint}` : '';
  const epochs = error.history?.loss?.length;
  const after = epochs ? ` (after ${epochs} epoch${epochs === 1 ? '' : 's'})` : '';
  return {
    summary: `${model}: training failed, ${TITLES[error.kind]}${after}. ${firstLine}${hint}`,
    log: [`${model}: training failed (${error.kind})${after}: ${error.message}`, ...(error.hint ? [`  hint: ${error.hint}`] : [])].join('\n'),
  };
}
