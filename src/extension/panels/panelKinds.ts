import type { PanelKindInfo } from './panelHost';

// The three panels' identities. The viewTypes also appear in package.json as
// `onWebviewPanel:<viewType>` activation events, so a panel restored after a window reload
// wakes the extension to revive it.

export const LOSS_PANEL: PanelKindInfo = { kind: 'loss', viewType: 'seqmodel.loss', title: 'SeqModel: Loss' };
export const PREDICTION_PANEL: PanelKindInfo = { kind: 'prediction', viewType: 'seqmodel.prediction', title: 'SeqModel: Predictions' };
export const SUMMARY_PANEL: PanelKindInfo = { kind: 'summary', viewType: 'seqmodel.summary', title: 'SeqModel: Summary' };
export const COMPARE_PANEL: PanelKindInfo = { kind: 'compare', viewType: 'seqmodel.compare', title: 'SeqModel: Compare Runs' };
