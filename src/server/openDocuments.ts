import type { Connection, DidChangeTextDocumentParams, DidOpenTextDocumentParams, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { changeBetween, joined, LineIndex, narrowed, type Position, type TextChange } from '../language';

// The documents the client has open, as the server's one store of their text: each version's
// text with its line index (the engine's LineIndex), both updated per edit. Every handler reads
// a version from here, and the analysis of a version starts from its text.
//
// Why not vscode-languageserver-textdocument's TextDocument: it indexes the lines of a whole
// document on the first edit after opening (45-80 ms on a megabyte of line breaks, on the
// keystroke) and keeps its line offsets in an array of numbers that each edit shifts one by
// one. Here the index is built once when the document opens (while its first analysis runs
// anyway) and an edit rescans only the lines it touches, copying the starts after them as a
// typed array (LineIndex.edited): a few milliseconds for a million lines.
//
// Positions follow the LSP specification, as the library's conversions do: UTF-16 columns, line
// breaks LF, CRLF and CR, a column past a line's end meaning its end (before the line break), a
// line past the last meaning the end of the text, and a range given backwards read forwards.
// (The library's edits did not: a range on lines past the end made it misplace the next edit.)

/** One version of an open document: immutable, so work on an older version keeps its text. */
export class OpenDocument {
  constructor(
    readonly uri: string,
    readonly version: number,
    readonly text: string,
    readonly lines: LineIndex,
    /**
     * Where this version's text differs from the version it was edited from: found once, from
     * the edit's ranges (narrowed to what differs), for the analysis and the formatting memory
     * both (src/language/commonText.ts). Undefined for a version opened, not edited.
     */
    readonly change?: TextChange,
  ) {}

  getText(): string {
    return this.text;
  }

  /**
   * This document after `changes` (applied in order, as LSP sends them), as `version`. A run of
   * changes each before the last is applied at once: VS Code sends the edits of a multi-cursor
   * keystroke or a replace-all that way (last in the document first), and applying them one by
   * one copied the whole text and the line starts after each (1,000 cursors on 100,000 lines:
   * 1.2-1.4 s, in this store and in the LSP's document library alike).
   */
  edited(changes: readonly TextDocumentContentChangeEvent[], version: number): OpenDocument {
    let { text, lines } = this;
    // The changes so far as one change of this version's text: ranges joined; a whole text compared.
    let change: TextChange | undefined;
    // The changes not yet in `text` and `lines`: the new text is text[0, from) and the pieces
    // (last first), which replace text[from, oldTo) and end at newTo.
    let run: { from: number; oldTo: number; newTo: number; pieces: string[] } | undefined;
    /**
     * Whether `lines` still converts a position exactly while a run from `from` on is pending:
     * the text before `from` is unchanged, so is every line that ends before it, and so is the
     * line `from` is on up to `from` (no line break in it before `from`, in either text), unless
     * that line starts at `from` after a CR, which an LF at `from` would join to the line before.
     */
    const before = (p: Position, from: number): boolean => {
      const line = lines.positionAt(from).line;
      if (p.line !== line) return p.line < line;
      const start = lines.lineStart(line);
      return start + Math.max(0, p.character) <= from && (start < from || text.charCodeAt(from - 1) !== 13);
    };
    const catchUp = () => {
      if (!run) return;
      const next = text.slice(0, run.from) + run.pieces.reverse().join('');
      lines = LineIndex.edited(lines, next, run.from, run.oldTo, run.newTo);
      text = next;
      run = undefined;
    };
    for (const edit of changes) {
      if (!('range' in edit) || !edit.range) {
        text = edit.text;
        lines = new LineIndex(text);
        run = undefined;
        change = changeBetween(this.text, text);
        continue;
      }
      const { start, end } = edit.range;
      if (run && !(before(start, run.from) && before(end, run.from))) catchUp();
      let from = lines.offsetAt(start);
      let to = lines.offsetAt(end);
      if (to < from) [from, to] = [to, from];
      const newTo = from + edit.text.length;
      // `from` and `to` are offsets in the text as edited so far (pending run or not, see `before`).
      const part = { start: from, oldEnd: to, newEnd: newTo };
      change = change ? joined(change, part) : part;
      if (run) {
        run.pieces.push(text.slice(to, run.from), edit.text);
        run.newTo += newTo - to;
        run.from = from;
      } else {
        run = { from, oldTo: to, newTo, pieces: [text.slice(to), edit.text] };
      }
    }
    catchUp();
    return new OpenDocument(this.uri, version, text, lines, change && narrowed(this.text, text, change));
  }
}

/** Told a document's version; on a change, also the version it replaces (whose text `document.change` is relative to). */
type Listener = (document: OpenDocument, previous?: OpenDocument) => void;

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
    for (const f of this.listeners.change) f(document, current);
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
