import * as vscode from 'vscode';
import { ComparePanel } from './comparePanel';
import { LossPanel } from './lossPanel';
import type { PanelHostDeps } from './panelHost';
import { COMPARE_PANEL, LOSS_PANEL, PREDICTION_PANEL, SUMMARY_PANEL } from './panelKinds';
import { PredictionPanel } from './predictionPanel';
import { SummaryPanel } from './summaryPanel';

// After a window reload VS Code re-creates the panels that were open and hands them to these
// serializers (the extension is activated for it by `onWebviewPanel:<viewType>`). The page's
// own saved state (setState) comes back with the page; the host only re-renders it.

export function registerPanelSerializers(deps: PanelHostDeps): void {
  const revive = (viewType: string, make: (panel: vscode.WebviewPanel) => unknown) =>
    deps.context.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(viewType, {
        async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
          make(panel);
        },
      }),
    );
  revive(LOSS_PANEL.viewType, (p) => LossPanel.revive(p, deps));
  revive(PREDICTION_PANEL.viewType, (p) => PredictionPanel.revive(p, deps));
  revive(SUMMARY_PANEL.viewType, (p) => SummaryPanel.revive(p, deps));
  revive(COMPARE_PANEL.viewType, (p) => ComparePanel.revive(p, deps));
}
