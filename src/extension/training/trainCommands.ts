import * as vscode from 'vscode';
import type { TrainInfo } from '../../language';
import { analysisOf } from '../documentAnalysis';
import { targetDocument, targetModel } from './targetModel';
import type { TrainingController } from './trainingController';
import { trainJobs } from '../../training/trainPlan';
import { requireTrust } from './workspaceTrust';

// Train model, Train all and compare, Stop training. Arguments, as code lenses and tests pass
// them: (uri, modelName, options?) where options may hold { epochs } for a short run.

interface CommandOptions {
  epochs?: number;
}

function commandOptions(value: unknown): CommandOptions {
  if (typeof value !== 'object' || value === null) return {};
  const epochs = (value as { epochs?: unknown }).epochs;
  return typeof epochs === 'number' && Number.isInteger(epochs) && epochs > 0 ? { epochs } : {};
}

export async function trainModelCommand(controller: TrainingController, uriArg?: unknown, modelArg?: unknown, optionsArg?: unknown): Promise<unknown> {
  if (!(await requireTrust('Training'))) return undefined;
  const target = await targetModel(uriArg, modelArg, {
    placeHolder: 'Which model to train?',
    candidates: (a) => a.models.filter((m) => a.trains.some((t) => t.models.includes(m.name))),
    none: "SeqModel: no model of this file is in a train block: add 'train MODEL on DATA { epochs = 100 }'.",
  });
  if (!target) return undefined;
  const jobs = trainJobs(target.analysis, target.model.name);
  if (jobs.length === 0) {
    void vscode.window.showErrorMessage(`SeqModel: model '${target.model.name}' is in no train block: add 'train ${target.model.name} on DATA { epochs = 100 }'.`);
    return undefined;
  }
  return controller.train(target.document, target.analysis, jobs, { compare: false, ...commandOptions(optionsArg) });
}

/** Every model of one train block (picked when the file has several), one after the other. */
export async function trainAllCommand(controller: TrainingController, uriArg?: unknown, optionsArg?: unknown): Promise<unknown> {
  if (!(await requireTrust('Training'))) return undefined;
  const document = await targetDocument(uriArg);
  if (!document) return undefined;
  const analysis = analysisOf(document);
  let block: TrainInfo | undefined = analysis.trains[0];
  if (analysis.trains.length === 0) {
    void vscode.window.showInformationMessage("SeqModel: this file has no train block: add 'train A, B on DATA { epochs = 100 }'.");
    return undefined;
  }
  if (analysis.trains.length > 1) {
    const editor = vscode.window.activeTextEditor;
    const offset = editor?.document === document ? document.offsetAt(editor.selection.active) : -1;
    block = analysis.trains.find((t) => t.span.start <= offset && offset <= t.span.end);
    if (!block) {
      const pick = await vscode.window.showQuickPick(
        analysis.trains.map((t) => ({ label: t.models.join(', '), description: `on ${t.data}, ${t.settings.epochs} epochs`, train: t })),
        { placeHolder: 'Which train block?' },
      );
      block = pick?.train;
    }
  }
  if (!block) return undefined;
  return controller.train(document, analysis, trainJobs(analysis, undefined, block), { compare: true, ...commandOptions(optionsArg) });
}

export function stopTrainingCommand(controller: TrainingController): boolean {
  const stopped = controller.stop();
  if (!stopped) void vscode.window.showInformationMessage('SeqModel: no training is running.');
  return stopped;
}
