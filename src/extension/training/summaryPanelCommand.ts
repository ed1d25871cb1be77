import { SummaryPanel } from '../panels/summaryPanel';
import type { PanelHostDeps } from '../panels/panelHost';
import { targetModel } from './targetModel';

// Show model summary as a panel: the Keras table and the layer diagram of the model under the
// cursor (or picked, or the code lens's). Returns the model's name, for tests.

export async function showSummaryPanelCommand(deps: PanelHostDeps, uriArg?: unknown, modelArg?: unknown): Promise<string | undefined> {
  const target = await targetModel(uriArg, modelArg, { placeHolder: 'Summary of which model?' });
  if (!target) return undefined;
  SummaryPanel.show(deps).showModel(target.document, target.model.name);
  return target.model.name;
}
