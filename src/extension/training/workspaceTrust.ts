import * as vscode from 'vscode';

// Training runs code (tfjs, a worker process) on data files a workspace names: only in trusted
// workspaces. The commands are also disabled by their `enablement` (isWorkspaceTrusted); this
// check covers calls that bypass it (code lenses, other extensions, keybindings).

export async function requireTrust(action: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  const choice = await vscode.window.showWarningMessage(
    `SeqModel: ${action} is disabled in Restricted Mode: it runs TensorFlow.js in a worker process and reads the data files this workspace names. Trust the workspace to enable it.`,
    manage,
  );
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
