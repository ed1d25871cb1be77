import type * as vscode from 'vscode';
import type { HostToWebview, PredictionsMessage } from '../../../webview/protocol';
import { PanelHost, type PanelHostDeps } from './panelHost';
import { PanelSlot } from './panelSlot';
import { PREDICTION_PANEL } from './panelKinds';

// The prediction panel: the last run's forecasts (input window, predicted and true
// continuation) or classifications (echo lines, probabilities, confusion matrix). It shows
// one model's predictions at a time; the host keeps the last message to replay on `ready`.

export class PredictionPanel extends PanelHost {
  private static readonly slot = new PanelSlot(PREDICTION_PANEL, (panel, deps) => new PredictionPanel(panel, deps));
  /** The latest predictions, whether or not the panel is open ("Show Predictions"). */
  private static latest: PredictionsMessage | undefined;
  private last: PredictionsMessage | undefined;

  private constructor(panel: vscode.WebviewPanel, deps: PanelHostDeps) {
    super(panel, deps, PREDICTION_PANEL);
  }

  static show(deps: PanelHostDeps): PredictionPanel {
    return PredictionPanel.slot.show(deps);
  }

  static revive(panel: vscode.WebviewPanel, deps: PanelHostDeps): PredictionPanel {
    return PredictionPanel.slot.adopt(panel, deps);
  }

  static get instance(): PredictionPanel | undefined {
    return PredictionPanel.slot.instance;
  }

  showPredictions(message: PredictionsMessage): void {
    PredictionPanel.latest = message;
    this.last = message;
    this.post(message);
  }

  /**
   * New predictions after a run: an open panel shows them where it is, without coming to the
   * front; with no panel they wait for "Show Predictions". Opening the panel unasked would
   * cover the loss panel in the same editor group just as the run ends.
   */
  static offer(message: PredictionsMessage): boolean {
    PredictionPanel.latest = message;
    const panel = PredictionPanel.slot.instance;
    if (!panel || panel.isDisposed) return false;
    panel.showPredictions(message);
    return true;
  }

  /** Opens (or reveals) the panel with the latest predictions; false when there are none. */
  static showLatest(deps: PanelHostDeps): boolean {
    const message = PredictionPanel.latest;
    if (!message) return false;
    const panel = PredictionPanel.show(deps);
    panel.reveal(false);
    panel.showPredictions(message);
    return true;
  }

  protected override replayCoversAll(): boolean {
    return this.last !== undefined;
  }

  protected replay(): HostToWebview[] {
    return this.last ? [this.last] : [];
  }
}
