import {
  ResponseError,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type SemanticTokensDeltaParams,
  type SemanticTokensRangeParams,
} from 'vscode-languageserver';
import type { Analysis, Span, Steps } from '../language';
import { codeActions } from './codeActions';
import { codeLenses } from './codeLens';
import { completions } from './completion';
import { rangeToSpan } from './convert';
import { definition, references } from './definition';
import { toLspDiagnostics } from './diagnostics';
import { DiagnosticScheduler } from './diagnosticScheduler';
import { AnalysisCache, AnalysisError } from './documents';
import { foldingRanges, MAX_FOLDING_RANGES } from './folding';
import { FormatMemories, formatDocumentSteps } from './formatting';
import { documentHighlights } from './highlights';
import { hover } from './hover';
import { inlayHints } from './inlayHints';
import { OpenDocuments } from './openDocuments';
import { prepareRename, rename } from './rename';
import { guarded, logError, setLogger } from './safe';
import { LEGEND, semanticTokenSteps, type TokenKinds } from './semanticTokens';
import { contentModified, inSlices } from './slices';
import { SemanticTokensResults } from './semanticTokensDelta';
import { DEFAULT_SETTINGS, readSettings, type ServerSettings } from './settings';
import { signatureHelp } from './signatureHelp';
import { documentSymbols } from './symbols';

// Wires the features to a connection. Each feature is a pure function of an analysis (see its
// file); this file only finds the document, gets its analysis for the current version, and
// converts positions. Every handler is guarded: an exception answers empty and is logged.
// Platform-free: nodeServer.ts (stdio, IPC) and browserMain.ts (a Web Worker) create the
// connection and catch what escapes.

/** How long diagnostics wait after the last keystroke. */
const DEFAULT_DIAGNOSTIC_DELAY_MS = 150;

/** `collect`: a full collection, where the runtime offers one (Node started with --expose-gc). */
export function listen(connection: Connection, collect?: () => void): void {
  setLogger((m) => connection.console.error(m));

  const documents = new OpenDocuments();
  const cache = new AnalysisCache(collect);
  const tokenResults = new SemanticTokensResults();
  const formatMemories = new FormatMemories();
  let settings: ServerSettings = DEFAULT_SETTINGS;
  let pullConfiguration = false;
  let snippets = false;
  let foldingLimit = MAX_FOLDING_RANGES;
  let tokenKinds: TokenKinds = 'all';

  const schedulerHost: ConstructorParameters<typeof DiagnosticScheduler>[0] = {
    version: (uri) => documents.get(uri)?.version,
    publish: async (uri, version) => {
      const doc = documents.get(uri);
      if (!doc || doc.version !== version) return;
      let diagnostics;
      try {
        diagnostics = toLspDiagnostics(await cache.analysis(doc));
      } catch (e) {
        // A newer version replaced this one while it was analysed: that version publishes its own.
        if (e instanceof ResponseError) return;
        logError('diagnostics', e);
        // Say so in the file rather than leave the last version's problems standing.
        const message = `SeqModel could not analyse this version of the file (${e instanceof Error ? e.message : String(e)}).`;
        diagnostics = [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 1 as const, source: 'seqmodel', message }];
      }
      if (documents.get(uri)?.version !== version) return;
      void connection.sendDiagnostics({ uri, version, diagnostics });
    },
    clear: (uri) => void connection.sendDiagnostics({ uri, diagnostics: [] }),
  };
  let activeScheduler = new DiagnosticScheduler(schedulerHost, DEFAULT_DIAGNOSTIC_DELAY_MS);

  /**
   * The current version's analysis; undefined (an empty answer) for an unknown document or one
   * the engine failed on, which its diagnostics report. Rejects with ContentModified when an
   * edit replaces the version before its analysis ends (guarded passes that on).
   */
  const analysisOf = async (uri: string) => {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    try {
      return await cache.analysis(doc);
    } catch (e) {
      if (e instanceof AnalysisError) return undefined;
      throw e;
    }
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    pullConfiguration = !!caps.workspace?.configuration;
    snippets = !!caps.textDocument?.completion?.completionItem?.snippetSupport;
    const rangeLimit = caps.textDocument?.foldingRange?.rangeLimit;
    if (typeof rangeLimit === 'number' && rangeLimit >= 0) foldingLimit = rangeLimit;
    const init = (params.initializationOptions ?? {}) as Record<string, unknown>;
    // `settings` is ours; Helix sends its `config` table, where users write a `seqmodel` section.
    if (init.settings) settings = readSettings(init.settings);
    else if (init.seqmodel) settings = readSettings(init.seqmodel);
    tokenKinds = grammarColours(caps, init) ? 'semantic' : 'all';
    if (typeof init.diagnosticDelayMs === 'number' && init.diagnosticDelayMs >= 0) {
      activeScheduler = new DiagnosticScheduler(schedulerHost, init.diagnosticDelayMs);
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        inlayHintProvider: true,
        codeLensProvider: { resolveProvider: false },
        completionProvider: { triggerCharacters: ['(', ',', '=', '"', "'", '['], resolveProvider: false },
        signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: ['='] },
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        documentFormattingProvider: true,
        semanticTokensProvider: { legend: LEGEND, full: { delta: true }, range: true },
      },
      serverInfo: { name: 'seqmodel-language-server' },
    };
  });

  const refreshSettings = async () => {
    if (!pullConfiguration) return;
    try {
      settings = readSettings(await connection.workspace.getConfiguration('seqmodel'));
    } catch (e) {
      logError('reading settings', e);
    }
  };

  connection.onInitialized(() => {
    void refreshSettings();
  });
  connection.onDidChangeConfiguration(async (change) => {
    if (pullConfiguration) await refreshSettings();
    else if (change.settings && typeof change.settings === 'object' && 'seqmodel' in change.settings) settings = readSettings((change.settings as { seqmodel: unknown }).seqmodel);
    connection.languages.inlayHint.refresh().catch(() => undefined);
  });

  documents.onDidOpen((document) => activeScheduler.now(document.uri));
  documents.onDidChange((document, previous) => {
    // The analysis of the version this edit replaces is of no use any more: stop it now.
    cache.supersede(document, previous);
    // Both build on where the text changed, found once from the edit (openDocuments.ts).
    formatMemories.changed(document, previous);
    activeScheduler.schedule(document.uri);
  });
  documents.onDidClose((document) => {
    activeScheduler.close(document.uri);
    cache.delete(document.uri);
    tokenResults.delete(document.uri);
    formatMemories.delete(document.uri);
  });

  connection.onHover(
    guarded('hover', null, async (p) => {
      const a = await analysisOf(p.textDocument.uri);
      return a ? hover(a, a.lines.offsetAt(p.position)) : null;
    }),
  );
  connection.languages.inlayHint.on(
    guarded('inlay hints', [], async (p) => {
      const a = await analysisOf(p.textDocument.uri);
      return a ? inlayHints(a, rangeToSpan(a.lines, p.range), settings.inlayHints) : [];
    }),
  );
  connection.onCodeLens(
    guarded('code lens', [], async (p) => {
      const a = await analysisOf(p.textDocument.uri);
      return a ? codeLenses(a, p.textDocument.uri) : [];
    }),
  );
  connection.onCompletion(
    guarded('completion', [], async (p) => {
      const a = await analysisOf(p.textDocument.uri);
      return a ? completions(a, a.lines.offsetAt(p.position), { snippets }) : [];
    }),
  );
  connection.onSignatureHelp(
    guarded('signature help', null, async (p) => {
      const a = await analysisOf(p.textDocument.uri);
      return a ? signatureHelp(a, a.lines.offsetAt(p.position)) : null;
    }),
  );
  connection.onCodeAction(
    guarded('code actions', [], async (p) => {
      const a = await analysisOf(p.textDocument.uri);
      return a ? codeActions(a, p.textDocument.uri, rangeToSpan(a.lines, p.range), p.context.only) : [];
    }),
  );
  connection.onDocumentSymbol(
    guarded('document symbols', [], async (p) => {
      const a = await analysisOf(p.textDocument.uri);
      return a ? documentSymbols(a) : [];
    }),
  );
  connection.onFoldingRanges(
    guarded('folding ranges', [], async (p) => {
      const a = await analysisOf(p.textDocument.uri);
      return a ? foldingRanges(a, foldingLimit) : [];
    }),
  );
  connection.onDefinition(
    guarded('definition', null, async (p) => {
      const a = await analysisOf(p.textDocument.uri);
      return a ? definition(a, p.textDocument.uri, a.lines.offsetAt(p.position)) : null;
    }),
  );
  connection.onReferences(
    guarded('references', [], async (p) => {
      const a = await analysisOf(p.textDocument.uri);
      return a ? references(a, p.textDocument.uri, a.lines.offsetAt(p.position), p.context.includeDeclaration) : [];
    }),
  );
  connection.onDocumentHighlight(
    guarded('highlights', [], async (p) => {
      const a = await analysisOf(p.textDocument.uri);
      return a ? documentHighlights(a, a.lines.offsetAt(p.position)) : [];
    }),
  );
  connection.onPrepareRename(
    guarded('prepare rename', null, async (p) => {
      const a = await analysisOf(p.textDocument.uri);
      return a ? prepareRename(a, a.lines.offsetAt(p.position)) : null;
    }),
  );
  connection.onRenameRequest(
    guarded('rename', null, async (p) => {
      const a = await analysisOf(p.textDocument.uri);
      return a ? rename(a, p.textDocument.uri, a.lines.offsetAt(p.position), p.newName) : null;
    }),
  );
  /**
   * A long request's work in slices (slices.ts): a cancellation answers it within a slice, and
   * an edit of the document meanwhile answers ContentModified (the work was about the old text).
   */
  const sliced = <T>(uri: string, steps: Steps<T>, token: CancellationToken): Promise<T> => {
    const version = documents.get(uri)?.version;
    return inSlices(steps, token, () => (documents.get(uri)?.version !== version ? contentModified() : undefined));
  };
  connection.onDocumentFormatting(
    // The text alone: never waits for the analysis of a version just typed.
    guarded('formatting', [], (p, token) => {
      const doc = documents.get(p.textDocument.uri);
      return doc ? sliced(doc.uri, formatDocumentSteps(doc.text, doc.lines, formatMemories.of(doc.uri)), token) : [];
    }),
  );
  /**
   * A semantic tokens request: the current version's tokens (of the span `part` gives, or all),
   * in slices, answered by `answer`: remembered as the last full answer, as an edit of the one
   * the client names, or as they are for a range.
   */
  const tokenRequest = <P extends { textDocument: { uri: string } }, R>(part: (a: Analysis, p: P) => Span | undefined, answer: (uri: string, data: number[], p: P) => R) =>
    guarded('semantic tokens', { data: [] }, async (p: P, token) => {
      const uri = p.textDocument.uri;
      const a = await analysisOf(uri);
      return a ? answer(uri, await sliced(uri, semanticTokenSteps(a, part(a, p), undefined, tokenKinds), token), p) : { data: [] };
    });
  connection.languages.semanticTokens.on(tokenRequest(() => undefined, (uri, data) => tokenResults.full(uri, data)));
  connection.languages.semanticTokens.onDelta(tokenRequest(() => undefined, (uri, data, p: SemanticTokensDeltaParams) => tokenResults.delta(uri, p.previousResultId, data)));
  connection.languages.semanticTokens.onRange(tokenRequest((a, p: SemanticTokensRangeParams) => rangeToSpan(a.lines, p.range), (_, data) => ({ data })));
  connection.onShutdown(() => activeScheduler.dispose());

  documents.listen(connection);
  connection.listen();
}

/**
 * Whether the client colours a .seqmodel file with SeqModel's TextMate grammar and lays the
 * semantic tokens over it: it says it augments syntax tokens (LSP 3.17's
 * `semanticTokens.augmentsSyntaxTokens`) and that its syntax tokens are this grammar's
 * (`initializationOptions.grammar`, set by the VS Code extension). The first alone is not
 * enough: Neovim augments too, but has no grammar of this language, so there the semantic
 * tokens are a file's only colours.
 */
function grammarColours(caps: InitializeParams['capabilities'], init: Record<string, unknown>): boolean {
  return caps.textDocument?.semanticTokens?.augmentsSyntaxTokens === true && init.grammar === true;
}
