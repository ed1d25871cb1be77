export const USAGE = `seqmodel: design, check and train recurrent networks written in .seqmodel files.

Usage:
  seqmodel summary FILE [--model NAME] [--json]   Keras-style summary of each model
  seqmodel check FILE... [--json]                 diagnostics as file:line:col: severity code: message
  seqmodel train FILE [--model NAME] [--epochs N] [--backend auto|node|wasm|cpu] [--json]
                                                  train the models of the file's train blocks
  seqmodel import FILE [-o OUT]                   a .seqmodel file from Keras code (.py, .ipynb) or a saved
                                                  model's description (model.to_json() .json, .keras)
  seqmodel lsp --stdio                            run the language server (for any LSP editor)
  seqmodel --help | --version

Exit codes: 0 success, 1 the file has errors (or training failed), 2 usage or I/O error.`;
