import type * as vscode from 'vscode';
import { createPanel, type PanelHost, type PanelHostDeps, type PanelKindInfo } from './panelHost';

/**
 * One panel of a kind at a time. `show` reveals the open panel or creates one beside the
 * editor; `adopt` takes a panel VS Code restored after a reload, replacing whatever the slot
 * held. The slot forgets a panel the user closes, so the next `show` creates a new one.
 */
export class PanelSlot<P extends PanelHost> {
  private current: P | undefined;

  constructor(
    private readonly info: PanelKindInfo,
    private readonly make: (panel: vscode.WebviewPanel, deps: PanelHostDeps) => P,
  ) {}

  /** The open panel, if any. */
  get instance(): P | undefined {
    return this.current;
  }

  show(deps: PanelHostDeps, preserveFocus?: boolean): P {
    const existing = this.current;
    if (existing && !existing.isDisposed) {
      existing.reveal(preserveFocus);
      return existing;
    }
    return this.hold(this.make(createPanel(deps, this.info), deps));
  }

  adopt(panel: vscode.WebviewPanel, deps: PanelHostDeps): P {
    this.current?.dispose();
    return this.hold(this.make(panel, deps));
  }

  private hold(panel: P): P {
    this.current = panel;
    panel.onDidDispose(() => {
      if (this.current === panel) this.current = undefined;
    });
    return panel;
  }
}
