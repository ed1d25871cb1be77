// The short-lived process behind the editor's "Predict" command: loads the trained model of a
// saved run, predicts one input sequence and exits. A process of its own for the same reason
// as the training worker: tfjs (and a native backend's crash) stays out of the extension host.
// parent → child: one PredictRequest; child → parent: one PredictReply, then exit.

import { initBackend } from './backend';
import { loadRunModel } from './modelFiles';
import { predictOne } from './predict';
import { isPredictRequest, type PredictReply } from './predictProtocol';

function reply(message: PredictReply): void {
  if (!process.send || !process.connected) process.exit(message.type === 'result' ? 0 : 1);
  // Exit only once the reply is handed to the channel: exiting earlier can lose it.
  process.send(message, undefined, {}, () => process.exit(0));
}

if (!process.send) {
  process.stderr.write('The SeqModel predict worker runs under the editor (child_process.fork), not on its own.\n');
  process.exit(2);
}

process.once('message', (raw: unknown) => {
  if (!isPredictRequest(raw)) {
    reply({ type: 'error', message: 'The predict worker received a message it does not understand.' });
    return;
  }
  void (async () => {
    try {
      const backend = await initBackend(raw.backend);
      const model = await loadRunModel(raw.runPath);
      const result = predictOne(model, raw.input);
      if (result.error !== undefined) reply({ type: 'error', message: result.error });
      else reply({ type: 'result', output: result.output, backend: backend.name });
    } catch (err) {
      reply({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  })();
});
process.on('disconnect', () => process.exit(0));
