import { MarkupKind, type ParameterInformation, type SignatureHelp } from 'vscode-languageserver';
import type { Analysis } from '../language';
import { callable } from '../language';
import { completionQuery } from '../language';
import type { ArgSpec } from '../language';
import { argumentDoc, renderConfig } from './hover';

// Inside `LSTM(...)` (or any call of the language): its arguments, the one being written
// highlighted. Layers take some thirty arguments (initializers, regularizers, ...); the label
// lists the layer's own ones and leaves out those every layer shares unless one is active.

const SHARED = /^(name|trainable|dtype|input_shape|batch_input_shape|batch_size|input_dim|input_length|kernel_\w+|bias_\w+|recurrent_(initializer|regularizer|constraint)|activity_regularizer|weights|backward_layer)$/;

export function signatureHelp(analysis: Analysis, offset: number): SignatureHelp | null {
  const { call } = completionQuery(analysis.document, analysis.text, offset);
  if (!call) return null;
  const spec = callable(call.callee);
  if (!spec) return null;
  const positional = spec.args.filter((a) => a.positional);
  let active: ArgSpec | undefined;
  if (call.keyword) active = spec.args.find((a) => a.name === call.keyword);
  else if (!call.sawKeyword) active = positional[call.positional];
  const shown = spec.args.filter((a) => a.positional || a.required || !SHARED.test(a.name) || a === active);

  let label = `${spec.name}(`;
  const parameters: ParameterInformation[] = [];
  shown.forEach((a, i) => {
    if (i > 0) label += ', ';
    const text = a.default !== undefined && !a.required ? `${a.name}=${renderConfig(a.default)}` : a.name;
    const start = label.length;
    label += text;
    parameters.push({ label: [start, label.length], documentation: { kind: MarkupKind.Markdown, value: argumentDoc(spec.name, a) } });
  });
  label += ')';
  const index = active ? shown.indexOf(active) : -1;
  return {
    signatures: [{ label, documentation: { kind: MarkupKind.Markdown, value: spec.summary }, parameters, activeParameter: index >= 0 ? index : undefined }],
    activeSignature: 0,
    // -1 is not allowed: with no active argument (an unknown keyword) point past the list.
    activeParameter: index >= 0 ? index : parameters.length,
  };
}
