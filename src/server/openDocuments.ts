import type { Connection, DidChangeTextDocumentParams, DidOpenTextDocumentParams, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { LineIndex } from '../language';

// The documents the client has open, as the server's one store of their text: each version's
// text with its line index (the engine's LineIndex), both updated per edit. Every handler reads
// a version from here, and the analysis of a version starts from its text.
//
// Why not vscode-languageserver-textdocument's TextDocument: it indexes the lines of a whole
// document on the first edit after opening (45-80 ms on a megabyte of line breaks, on the
// keystroke) and keeps its line offsets in an array of numbers that each edit shifts one by
// one. Here the index is built once when the document opens (while its first analysis runs
// anyway) and an edit rescans only the lines it touches, copying the starts after them as a
// typed array (LineIndex.edited): about a millisecond for a million lines.
//
// Positions follow the LSP specification exactly as the library did: UTF-16 columns, line breaks
// LF, CRLF and CR, a column past a line's end meaning its end (before the line break), a line past
// the last meaning the end of the text, and a range given backwards read forwards.

/** One version of an open document: immutable, so work on an older version keeps its text. */
export class OpenDocument {
  constructor(
    readonly uri: string,
    readonly version: number,
    readonly text: string,
    readonly lines: LineIndex,
  ) {}

  getText(): string {
    return this.text;
  }

  /** This document after `changes` (applied in order, as LSP sends them), as `version`. */
  edited(changes: readonly TextDocumentContentChangeEvent[], version: number): OpenDocument {
    let { text, lines } = this;
    for (const change of changes) {
      if (!('range' in change) || !change.range) {
        text = change.text;
        lines = new LineIndex(text);
        continue;
      }
      let from = lines.offsetAt(change.range.start);
      let to = lines.offsetAt(change.range.end);
      if (to < from) [from, to] = [to, from];
      text = text.slice(0, from) + change.text + text.slice(to);
      lines = LineIndex.edited(lines, text, from, to, from + change.text.length);
    }
    return new OpenDocument(this.uri, version, text, lines);
  }
}

type Listener = (document: OpenDocument) => void;

/** The open documents by URI, kept current from the client's didOpen, didChange and didClose notifications. */
export class OpenDocuments {
  private readonly documents = new Map<string, OpenDocument>();
  private readonly listeners = { open: [] as Listener[], change: [] as Listener[], close: [] as Listener[] };

  /** The current version of a document, or undefined when it is not open. */
  get(uri: string): OpenDocument | undefined {
    return this.documents.get(uri);
  }

  /** A document was opened: its first version. */
  onDidOpen(listener: Listener): void {
    this.listeners.open.push(listener);
  }

  /** A document has a new version (after an edit). */
  onDidChange(listener: Listener): void {
    this.listeners.change.push(listener);
  }

  /** A document was closed: its last version. */
  onDidClose(listener: Listener): void {
    this.listeners.close.push(listener);
  }

  open(params: DidOpenTextDocumentParams): OpenDocument {
    const { uri, version, text } = params.textDocument;
    const document = new OpenDocument(uri, version, text, new LineIndex(text));
    this.documents.set(uri, document);
    for (const f of this.listeners.open) f(document);
    return document;
  }

  /** Applies an edit; undefined (and ignored) for a document that is not open, as a client's stray notification. */
  change(params: DidChangeTextDocumentParams): OpenDocument | undefined {
    const current = this.documents.get(params.textDocument.uri);
    // No change, no new version (as LSP's own document library does).
    if (!current || params.contentChanges.length === 0) return undefined;
    const version = typeof params.textDocument.version === 'number' ? params.textDocument.version : current.version + 1;
    const document = current.edited(params.contentChanges, version);
    this.documents.set(document.uri, document);
    for (const f of this.listeners.change) f(document);
    return document;
  }

  close(uri: string): void {
    const document = this.documents.get(uri);
    if (!document) return;
    this.documents.delete(uri);
    for (const f of this.listeners.close) f(document);
  }

  /** Keeps the store current from a connection's text document notifications. */
  listen(connection: Connection): void {
    connection.onDidOpenTextDocument((p) => void this.open(p));
    connection.onDidChangeTextDocument((p) => void this.change(p));
    connection.onDidCloseTextDocument((p) => this.close(p.textDocument.uri));
  }
}
